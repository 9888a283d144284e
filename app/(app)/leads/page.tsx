import { Users } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoonPage } from "@/components/shell/coming-soon-page";

export const metadata: Metadata = { title: "Leads" };

export default function Page() {
  return (
    <ComingSoonPage
      permission="workspace.read"
      title="Leads"
      description="Every prospect in this workspace, with status, owner, score and enrichment."
      icon={Users}
      emptyTitle="No leads yet"
    >
      Leads you import, enrich and work will be listed here as a table you can filter, sort and assign. Importing from CSV, Apollo and
      Instantly arrives with the imports feature.
    </ComingSoonPage>
  );
}
