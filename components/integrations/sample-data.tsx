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

/** A short mark beside a name in a table, its full words for screen readers and on hover. */
function SampleMark({ short, words, testId }: { short: string; words: string; testId: string }) {
  return (
    <span
      title={words}
      data-testid={testId}
      className="inline-flex shrink-0 items-center rounded bg-amber-50 px-1 text-[11px] leading-4 font-medium text-amber-800"
    >
      <span aria-hidden>{short}</span>
      <span className="sr-only">{words}</span>
    </span>
  );
}

/**
 * The leads table's mark on a row holding sample data, short enough for the name column; its
 * full words (the lead page's) for screen readers and on hover. `lead`: a sandbox import
 * created it (its source is the vendor); `values`: a sandbox wrote some of its values.
 */
export function SampleLeadMark({ sampleData, source }: { sampleData: "lead" | "values"; source: string }) {
  return sampleData === "lead" ? (
    <SampleMark
      short="Sample"
      testId="lead-row-sample"
      words={`Sandbox: sample data. This lead is sample data from the ${sandboxVendorName(source) ?? "vendor"} sandbox, not a real person.`}
    />
  ) : (
    <SampleMark
      short="Sample values"
      testId="lead-row-sample"
      words="Sandbox: sample data. Some of this lead's values are sample data from a vendor's sandbox."
    />
  );
}

/** Home's mark on an import whose rows a vendor's sandbox served. */
export function SampleImportMark() {
  return (
    <SampleMark
      short="Sample"
      testId="import-row-sample"
      words="Sandbox: sample data. This import's people were invented by one of this app's vendor sandboxes."
    />
  );
}

const COMPANY_WORDS = "Sandbox: sample data. This company was invented by one of this app's vendor sandboxes, not read from a vendor.";

/** The Companies list's mark on a company a vendor's sandbox invented. */
export function SampleCompanyMark() {
  return <SampleMark short="Sample" testId="company-row-sample" words={COMPANY_WORDS} />;
}

/** Said on the page of a company a vendor's sandbox invented. */
export function SampleCompanyNotice() {
  return (
    <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
      {COMPANY_WORDS}
    </p>
  );
}

/** Said on a screen that shows what a vendor's sandbox served: what is sample data, and from where. */
export function SampleDataNotice({ vendor, what }: { vendor: string; what: string }) {
  return (
    <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
      Sample data: {what} invented by this app&apos;s {vendor} sandbox, not read from {vendor}.
    </p>
  );
}
