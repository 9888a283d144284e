import { CheckCheck } from "lucide-react";
import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Approvals" };

export default async function Page() {
  await requirePageSession("campaigns.approve");
  return (
    <>
      <PageHeader title="Approvals" description="Campaigns waiting for an admin to approve exactly what will be sent." />
      <div className="p-6">
        <EmptyState icon={CheckCheck} title="Nothing waiting for approval">
          When a rep submits a campaign, it appears here with every email rendered for its audience, for you to approve or reject.
        </EmptyState>
      </div>
    </>
  );
}
