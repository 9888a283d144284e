import Link from "next/link";
import { CAMPAIGN_STATUSES } from "@/db/schema/campaign-enums";
import type { CampaignListFilters } from "@/lib/campaigns/schemas";
import { CAMPAIGN_STATUS_LABELS } from "@/lib/campaigns/types";
import { Select } from "@/components/ui/field";

/** Status and owner, as a plain GET form: the filtered list is a URL to share, and works before any script loads. */
export function CampaignListFiltersForm({ filters, owners }: { filters: CampaignListFilters; owners: { id: string; name: string }[] }) {
  const filtered = filters.status.length > 0 || filters.owner;
  return (
    <form action="/campaigns" method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter campaigns">
      <div className="space-y-1">
        <label htmlFor="campaign-status" className="block text-xs font-medium text-zinc-700">
          Status
        </label>
        <Select id="campaign-status" name="status" defaultValue={filters.status[0] ?? ""} className="w-48">
          <option value="">Any status</option>
          {CAMPAIGN_STATUSES.map((status) => (
            <option key={status} value={status}>
              {CAMPAIGN_STATUS_LABELS[status]}
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1">
        <label htmlFor="campaign-owner" className="block text-xs font-medium text-zinc-700">
          Owner
        </label>
        <Select id="campaign-owner" name="owner" defaultValue={filters.owner ?? ""} className="w-56">
          <option value="">Anyone</option>
          <option value="me">Me</option>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </Select>
      </div>
      <button
        type="submit"
        className="h-8 rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 hover:bg-zinc-50"
      >
        Filter
      </button>
      {filtered ? (
        <Link href="/campaigns" className="pb-1.5 text-sm text-accent-700 hover:underline">
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}
