import { CheckCheck } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoonPage } from "@/components/shell/coming-soon-page";

export const metadata: Metadata = { title: "Approvals" };

export default function Page() {
  return (
    <ComingSoonPage
      permission="campaigns.approve"
      title="Approvals"
      description="Campaigns waiting for an admin to approve exactly what will be sent."
      icon={CheckCheck}
      emptyTitle="Nothing waiting for approval"
    >
      When a rep submits a campaign, it appears here with every email rendered for its audience, for you to approve or reject.
    </ComingSoonPage>
  );
}
