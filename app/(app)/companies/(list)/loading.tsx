// In its own route group so that its loading skeleton does not wrap a company's page, whose
// not-found must answer 404 before anything streams.
import { TableSkeleton } from "@/components/companies/table-skeleton";
import { PageHeader } from "@/components/ui/page-header";

export default function Loading() {
  return (
    <>
      <PageHeader title="Companies" description="Loading…" />
      <div className="space-y-4 p-6">
        <div className="h-8 w-96 animate-pulse rounded-md bg-zinc-100" />
        <TableSkeleton label="Loading companies" columns={6} />
      </div>
    </>
  );
}
