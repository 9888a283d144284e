"use client";
import { usePathname } from "next/navigation";
import { Select } from "@/components/ui/field";
import { useUrlFilters } from "@/components/use-url-filters";
import type { JobFilters } from "@/lib/jobs/runs/schemas";

const RANGES = [
  ["all", "Any time"],
  ["1h", "Last hour"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
] as const;

/** Filters live in the URL (useUrlFilters), so a filtered view can be shared and survives a reload. */
export function JobFiltersForm({
  functionIds,
  statuses,
  filters,
}: {
  functionIds: string[];
  statuses: readonly string[];
  filters: JobFilters;
}) {
  const pathname = usePathname();
  const { requested, update: navigate } = useUrlFilters(filters, (next) => {
    const params = new URLSearchParams();
    for (const k of ["function", "status", "range"] as const) {
      const v = next[k];
      if (v && v !== "all") params.set(k, v);
    }
    return params.size ? `${pathname}?${params}` : pathname;
  });
  const update = (key: "function" | "status" | "range", value: string) =>
    navigate({ ...requested, [key]: key === "range" ? value || "all" : value || undefined } as JobFilters);
  return (
    <div className="flex flex-wrap gap-3" role="group" aria-label="Filter runs">
      <div className="w-64">
        <Select aria-label="Function" value={requested.function ?? ""} onChange={(e) => update("function", e.target.value)}>
          <option value="">All functions</option>
          {functionIds.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </Select>
      </div>
      <div className="w-40">
        <Select aria-label="Status" value={requested.status ?? ""} onChange={(e) => update("status", e.target.value)}>
          <option value="">Any status</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </div>
      <div className="w-40">
        <Select aria-label="Time" value={requested.range} onChange={(e) => update("range", e.target.value)}>
          {RANGES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
    </div>
  );
}
