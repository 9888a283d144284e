import { TableSkeleton } from "@/components/companies/table-skeleton";
import { PageHeader } from "@/components/ui/page-header";

export default function Loading() {
  return (
    <>
      <PageHeader title="Company" description="Loading…" />
      <div className="grid gap-4 p-6 lg:grid-cols-[22rem_1fr]">
        <div className="h-72 animate-pulse rounded-lg bg-zinc-100" />
        <TableSkeleton label="Loading the company's leads" rows={8} columns={5} />
      </div>
    </>
  );
}
