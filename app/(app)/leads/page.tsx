import { Users } from "lucide-react";
import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Leads" };

export default async function Page() {
  await requirePageSession("workspace.read");
  return (
    <>
      <PageHeader title="Leads" description="Every prospect in this workspace, with status, owner, score and enrichment." />
      <div className="p-6">
        <EmptyState icon={Users} title="No leads yet">
          Leads you import, enrich and work will be listed here as a table you can filter, sort and assign. Importing from CSV, Apollo and Instantly arrives with the imports feature.
        </EmptyState>
      </div>
    </>
  );
}
