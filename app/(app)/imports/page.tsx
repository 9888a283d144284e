import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { PageHeader } from "@/components/ui/page-header";
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from "@/lib/imports/types";
import { UploadCard } from "./upload-card";

export const metadata: Metadata = { title: "Imports" };

export default async function Page() {
  await requirePageSession("imports.run");
  return (
    <>
      <PageHeader title="Imports" description="Upload CSV files of leads, map their columns, and follow each import to the last row." />
      <div className="space-y-6 p-6">
        <UploadCard maxBytes={IMPORT_MAX_BYTES} maxRows={IMPORT_MAX_ROWS} />
      </div>
    </>
  );
}
