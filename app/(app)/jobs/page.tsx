import { Activity } from "lucide-react";
import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage() {
  await requirePageSession("jobs.manage");
  return (
    <>
      <PageHeader title="Jobs" description="Every background run: imports, syncs, enrichment and sequence steps." />
      <div className="p-6">
        <EmptyState icon={Activity} title="No runs yet">
          Background jobs will be listed here with their steps, timing and errors, and can be replayed.
        </EmptyState>
      </div>
    </>
  );
}
