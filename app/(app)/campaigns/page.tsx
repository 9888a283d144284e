import { Send } from "lucide-react";
import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Campaigns" };

export default async function Page() {
  await requirePageSession("workspace.read");
  return (
    <>
      <PageHeader title="Campaigns" description="Multi-step email sequences, from draft to approval to sending." />
      <div className="p-6">
        <EmptyState icon={Send} title="No campaigns yet">
          Campaigns you draft will be listed here with their steps, audience and results. Nothing is sent until an admin approves the exact content.
        </EmptyState>
      </div>
    </>
  );
}
