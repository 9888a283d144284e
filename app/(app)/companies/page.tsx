import { Building2 } from "lucide-react";
import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Companies" };

export default async function Page() {
  await requirePageSession("workspace.read");
  return (
    <>
      <PageHeader title="Companies" description="Accounts your leads work at, one per domain." />
      <div className="p-6">
        <EmptyState icon={Building2} title="No companies yet">
          Companies are created from your leads' email domains and enrichment, and shown here with their leads and fit score.
        </EmptyState>
      </div>
    </>
  );
}
