import { BarChart3 } from "lucide-react";
import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Analytics" };

export default async function Page() {
  await requirePageSession("analytics.read");
  return (
    <>
      <PageHeader title="Analytics" description="Deliverability, replies and pipeline by campaign, mailbox and rep." />
      <div className="p-6">
        <EmptyState icon={BarChart3} title="No activity to chart yet">
          Once campaigns send, charts of sends, replies, bounces and meetings will appear here.
        </EmptyState>
      </div>
    </>
  );
}
