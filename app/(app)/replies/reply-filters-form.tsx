"use client";
import { usePathname } from "next/navigation";
import { Select } from "@/components/ui/field";
import { useUrlFilters } from "@/components/use-url-filters";
import { REPLY_CATEGORIES, REPLY_CATEGORY_LABELS } from "@/lib/ai/replies/reply-categories";
import type { ReplyFilters } from "@/lib/ai/replies/reply-filters";

/** Filters live in the URL (a filtered inbox can be shared and survives a reload); a change starts at the newest again. */
export function ReplyFiltersForm({ campaigns, filters }: { campaigns: { id: string; name: string }[]; filters: ReplyFilters }) {
  const pathname = usePathname();
  const { requested, update: navigate } = useUrlFilters(filters, (next) => {
    const params = new URLSearchParams();
    if (next.category) params.set("category", next.category);
    if (next.campaign) params.set("campaign", next.campaign);
    return params.size ? `${pathname}?${params}` : pathname;
  });
  const update = (key: "category" | "campaign", value: string) =>
    navigate({ ...requested, [key]: value || undefined, after: undefined } as ReplyFilters);
  return (
    <div className="flex flex-wrap gap-3" role="group" aria-label="Filter replies">
      <div className="w-56">
        <Select aria-label="Category" value={requested.category ?? ""} onChange={(e) => update("category", e.target.value)}>
          <option value="">Every category</option>
          {REPLY_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {REPLY_CATEGORY_LABELS[c]}
            </option>
          ))}
          <option value="unread">Not read yet</option>
        </Select>
      </div>
      <div className="w-72">
        <Select aria-label="Campaign" value={requested.campaign ?? ""} onChange={(e) => update("campaign", e.target.value)}>
          <option value="">Every campaign</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
      </div>
    </div>
  );
}
