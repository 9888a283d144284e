import { Send } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoonPage } from "@/components/shell/coming-soon-page";

export const metadata: Metadata = { title: "Campaigns" };

export default function Page() {
  return (
    <ComingSoonPage
      permission="workspace.read"
      title="Campaigns"
      description="Multi-step email sequences, from draft to approval to sending."
      icon={Send}
      emptyTitle="No campaigns yet"
    >
      Campaigns you draft will be listed here with their steps, audience and results. Nothing is sent until an admin approves the exact
      content.
    </ComingSoonPage>
  );
}
