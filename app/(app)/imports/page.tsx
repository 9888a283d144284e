import { Bot, Download, UserSearch } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { requirePageSession } from "@/app/_server/session";
import { can } from "@/lib/auth/permissions";
import { ImportHistory } from "@/components/imports/import-history";
import { PageHeader } from "@/components/ui/page-header";
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from "@/lib/imports/types";
import { UploadCard } from "./upload-card";

export const metadata: Metadata = { title: "Imports" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A page of the history starts after this import (a hand-edited value is "the latest"). */
const ZHistoryParams = z.object({ before: z.uuid().optional().catch(undefined) });

export default async function Page({ searchParams }: Props) {
  // Analysts follow imports (their progress and problem rows, as a read API key does); importing is for sales reps and up.
  const session = await requirePageSession("imports.read");
  const mayImport = can(session.current.role, "imports.run");
  const { before } = ZHistoryParams.parse(await searchParams);
  return (
    <>
      <PageHeader
        title="Imports"
        description={
          mayImport
            ? "Upload CSV files of leads, map their columns, and follow each import to the last row."
            : "The workspace's imports: follow each to the last row and see the rows that were not imported."
        }
        actions={
          mayImport ? (
            <div className="flex items-center gap-4">
              <Link href="/imports/apollo" className="inline-flex items-center gap-1.5 text-sm font-medium text-accent-700 hover:underline">
                <UserSearch aria-hidden className="size-4" /> Search Apollo
              </Link>
              <Link
                href="/imports/phantombuster"
                className="inline-flex items-center gap-1.5 text-sm font-medium text-accent-700 hover:underline"
              >
                <Bot aria-hidden className="size-4" /> Import from PhantomBuster
              </Link>
              <a
                href="/samples/apollo-contacts-sample.csv"
                download
                className="inline-flex items-center gap-1.5 text-sm font-medium text-accent-700 hover:underline"
              >
                <Download aria-hidden className="size-4" /> Download a sample file
              </a>
            </div>
          ) : undefined
        }
      />
      <div className="space-y-6 p-6">
        {mayImport ? <UploadCard maxBytes={IMPORT_MAX_BYTES} maxRows={IMPORT_MAX_ROWS} /> : null}
        <ImportHistory claims={session.claims} workspaceId={session.current.workspaceId} before={before} mayImport={mayImport} />
      </div>
    </>
  );
}
