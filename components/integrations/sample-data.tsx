import { Badge } from "@/components/ui/badge";

/** The vendors whose sandbox can be the source of an import, an enrichment or a lead. */
export type SandboxSource = "apollo" | "phantombuster" | "instantly";

const VENDOR_NAMES: Record<SandboxSource, string> = { apollo: "Apollo", phantombuster: "PhantomBuster", instantly: "Instantly" };

/** A vendor's name for a lead source, or null for a source that no sandbox serves (csv, manual). */
export function sandboxVendorName(source: string): string | null {
  return source in VENDOR_NAMES ? VENDOR_NAMES[source as SandboxSource] : null;
}

/** The badge every screen shows beside what a vendor's sandbox served (the Integrations page's wording). */
export function SampleDataBadge() {
  return <Badge tone="amber">Sandbox: sample data</Badge>;
}

/** Said on a screen that shows what a vendor's sandbox served: what is sample data, and from where. */
export function SampleDataNotice({ vendor, what }: { vendor: string; what: string }) {
  return (
    <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
      Sample data: {what} invented by this app&apos;s {vendor} sandbox, not read from {vendor}.
    </p>
  );
}
