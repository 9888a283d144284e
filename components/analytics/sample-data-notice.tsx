import { sandboxVendorName } from "@/components/integrations/sample-data";
import type { SampleDataInFigures } from "@/lib/analytics/sample-data";

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/**
 * What of a range's figures a vendor's sandbox made, a line each, in the words of the Sample
 * marks of the lists; empty when nothing did. `instantlyShown`: the page shows Instantly's daily
 * figures (they are the sandbox's own when the workspace is connected to it).
 */
export function sampleDataLines(s: SampleDataInFigures, { instantlyShown }: { instantlyShown: boolean }): string[] {
  const lines = s.inventedLeads.map(({ source, count: n }) => {
    const vendor = sandboxVendorName(source) ?? "a vendor's";
    return source === "instantly"
      ? `${count(n, "lead", "leads")} the Instantly sandbox invented, the senders of its sample replies`
      : `${count(n, "lead", "leads")} the ${vendor} sandbox invented`;
  });
  if (s.leadsWithSampleValues > 0) lines.push(`${count(s.leadsWithSampleValues, "lead", "leads")} with values a vendor's sandbox wrote`);
  if (s.sentToSampleLeads > 0) lines.push(`${count(s.sentToSampleLeads, "email", "emails")} sent to those sample leads`);
  if (s.repliesFromSampleLeads > 0) lines.push(`${count(s.repliesFromSampleLeads, "sample reply", "sample replies")} from them`);
  if (s.instantlySandbox && instantlyShown) lines.push("Instantly's daily figures, which the Instantly sandbox made up");
  return lines;
}

/** Home's headline: the sample leads the user owns, the emails sent to sample leads and their replies in the window. */
export function headlineSampleLines(s: { leadsOwned: number; sent: number; replied: number }): string[] {
  const lines: string[] = [];
  if (s.leadsOwned > 0)
    lines.push(`${s.leadsOwned.toLocaleString("en")} of the leads you own ${s.leadsOwned === 1 ? "is a sample lead" : "are sample leads"}`);
  if (s.sent > 0) lines.push(`${count(s.sent, "email", "emails")} sent to sample leads`);
  if (s.replied > 0) lines.push(`${count(s.replied, "sample reply", "sample replies")} from them`);
  return lines;
}

/** Said above figures that include sample data: how much, and from where. Nothing when none does. */
export function SampleDataInFiguresNotice({
  sampleData,
  instantlyShown = false,
  where,
}: {
  sampleData: SampleDataInFigures | { lines: string[] };
  instantlyShown?: boolean;
  /** What the figures are, e.g. "These figures" or "The numbers above". */
  where: string;
}) {
  const lines = "lines" in sampleData ? sampleData.lines : sampleDataLines(sampleData, { instantlyShown });
  if (lines.length === 0) return null;
  return (
    <div role="note" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="sample-data-in-figures">
      <p className="font-medium">{where} include sample data from this app&apos;s vendor sandboxes, not real people:</p>
      <ul className="mt-1 list-disc pl-5">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
