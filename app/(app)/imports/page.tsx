import { Upload } from "lucide-react";
import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Imports" };

export default async function Page() {
  await requirePageSession("imports.run");
  return (
    <>
      <PageHeader title="Imports" description="CSV uploads and syncs from Apollo and Instantly, with their progress and row errors." />
      <div className="p-6">
        <EmptyState icon={Upload} title="Nothing imported yet">
          Uploads of CSV files (generic, Apollo export, PhantomBuster) and API imports will appear here with a progress bar and every rejected row explained.
        </EmptyState>
      </div>
    </>
  );
}
