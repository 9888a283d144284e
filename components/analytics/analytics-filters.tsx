"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { Field, Select, TextInput } from "@/components/ui/field";

type Option = { id: string; name: string };
type Props = {
  from: string;
  to: string;
  timeZone: string;
  filters: { campaignId?: string; ownerId?: string; identityId?: string; source?: string };
  campaigns: Option[];
  owners: Option[];
  identities: Option[];
  sources: Option[];
};

/**
 * The range and the filters, as a plain GET form (it works before JavaScript loads). The days
 * are the viewer's: when the address names no zone, the browser's is added to it once.
 */
export function AnalyticsFilters({ from, to, timeZone, filters, campaigns, owners, identities, sources }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  useEffect(() => {
    if (params.get("tz")) return;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === timeZone) return;
    const next = new URLSearchParams(params.toString());
    next.set("tz", zone);
    router.replace(`${pathname}?${next.toString()}`);
  }, [params, pathname, router, timeZone]);

  const select = (id: string, name: string, label: string, value: string | undefined, options: Option[], all: string) => (
    <Field id={id} label={label}>
      <Select id={id} name={name} defaultValue={value ?? ""}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </Select>
    </Field>
  );
  return (
    <form
      method="get"
      className="grid grid-cols-2 items-end gap-3 rounded-lg border border-zinc-200 bg-white p-4 md:grid-cols-4 xl:grid-cols-7"
    >
      <input type="hidden" name="tz" value={params.get("tz") ?? timeZone} />
      <Field id="analytics-from" label="From">
        <TextInput id="analytics-from" name="from" type="date" defaultValue={from} required />
      </Field>
      <Field id="analytics-to" label="To">
        <TextInput id="analytics-to" name="to" type="date" defaultValue={to} required />
      </Field>
      {select("analytics-campaign", "campaign", "Campaign", filters.campaignId, campaigns, "All campaigns")}
      {select("analytics-owner", "owner", "Owner", filters.ownerId, owners, "All owners")}
      {select("analytics-identity", "identity", "Mailbox", filters.identityId, identities, "All mailboxes")}
      {select("analytics-source", "source", "Source", filters.source, sources, "All sources")}
      <button type="submit" className="h-9 rounded-md bg-accent-600 px-3.5 text-sm font-medium text-white hover:bg-accent-700">
        Apply
      </button>
    </form>
  );
}
