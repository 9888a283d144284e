import { BarChart3 } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoonPage } from "@/components/shell/coming-soon-page";

export const metadata: Metadata = { title: "Analytics" };

export default function Page() {
  return (
    <ComingSoonPage
      permission="analytics.read"
      title="Analytics"
      description="Deliverability, replies and pipeline by campaign, mailbox and rep."
      icon={BarChart3}
      emptyTitle="No activity to chart yet"
    >
      Once campaigns send, charts of sends, replies, bounces and meetings will appear here.
    </ComingSoonPage>
  );
}
