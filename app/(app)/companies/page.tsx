import { Building2 } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoonPage } from "@/components/shell/coming-soon-page";

export const metadata: Metadata = { title: "Companies" };

export default function Page() {
  return (
    <ComingSoonPage
      permission="workspace.read"
      title="Companies"
      description="Accounts your leads work at, one per domain."
      icon={Building2}
      emptyTitle="No companies yet"
    >
      Companies are created from your leads' email domains and enrichment, and shown here with their leads and fit score.
    </ComingSoonPage>
  );
}
