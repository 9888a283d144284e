import { Bot, Download, UserSearch } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { requirePageSession } from "@/app/_server/session";
import { ImportHistory } from "@/components/imports/import-history";
import { PageHeader } from "@/components/ui/page-header";
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from "@/lib/imports/types";
import { UploadCard } from "./upload-card";

export const metadata: Metadata = { title: "Imports" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A page of the history starts after this import (a hand-edited value is "the latest"). */
const ZHistoryParams = z.object({ before: z.uuid().optional().catch(undefined) });

export default async function Page({ searchParams }: Props) {
  const session = await requirePageSession("imports.run");
  const { before } = ZHistoryParams.parse(await searchParams);
  return (
    <>
      <PageHeader
        title="Imports"
        description="Upload CSV files of leads, map their columns, and follow each import to the last row."
        actions={
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
        }
      />
      <div className="space-y-6 p-6">
        <UploadCard maxBytes={IMPORT_MAX_BYTES} maxRows={IMPORT_MAX_ROWS} />
        <ImportHistory claims={session.claims} workspaceId={session.current.workspaceId} before={before} />
      </div>
    </>
  );
}
