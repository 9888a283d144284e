import { LeadTableSkeleton } from "@/components/leads/table/skeleton";
import { PageHeader } from "@/components/ui/page-header";

export default function Loading() {
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Leads" description="Loading…" />
      <LeadTableSkeleton />
    </div>
  );
}
