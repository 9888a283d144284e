import Link from "next/link";
import { SampleLeadMark } from "@/components/integrations/sample-data";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { LeadStatus } from "@/db/schema/leads";
import type { CompanyLeadRow } from "@/lib/companies/company-types";
import { LEAD_STATUS_LABELS, leadDisplayName } from "@/lib/leads/lead-fields";

const TONES: Record<LeadStatus, "neutral" | "accent" | "green" | "amber" | "red"> = {
  new: "neutral",
  contacted: "accent",
  replied: "accent",
  interested: "green",
  meeting: "green",
  won: "green",
  lost: "red",
  unsubscribed: "amber",
  bounced: "red",
};

/** The company's leads; each name opens the lead's own page. */
export function CompanyLeadsTable({ rows }: { rows: CompanyLeadRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Leads at this company</caption>
        <thead className="border-b border-zinc-200 text-left text-xs text-zinc-600">
          <tr>
            <th className="px-4 py-2 font-medium">Name</th>
            <th className="px-4 py-2 font-medium">Title</th>
            <th className="px-4 py-2 font-medium">Email</th>
            <th className="px-4 py-2 font-medium">Status</th>
            <th className="px-4 py-2 font-medium">Owner</th>
            <th className="px-4 py-2 text-right font-medium">Score</th>
            <th className="px-4 py-2 font-medium">Last activity</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((lead) => (
            <tr key={lead.id} className="hover:bg-zinc-50">
              <td className="px-4 py-2">
                <Link href={`/leads/${lead.id}`} className="font-medium text-zinc-900 hover:underline">
                  {leadDisplayName(lead)}
                </Link>
                {lead.sampleData ? (
                  <>
                    {" "}
                    <SampleLeadMark sampleData={lead.sampleData} source={lead.source} />
                  </>
                ) : null}
              </td>
              <td className="px-4 py-2 text-zinc-700">{lead.title ?? "—"}</td>
              <td className="px-4 py-2 text-zinc-700">{lead.email ?? <span className="text-zinc-500">LinkedIn only</span>}</td>
              <td className="px-4 py-2">
                <Badge tone={TONES[lead.status]}>{LEAD_STATUS_LABELS[lead.status]}</Badge>
              </td>
              <td className="px-4 py-2 text-zinc-700">{lead.ownerName ?? <span className="text-zinc-500">Unassigned</span>}</td>
              <td className="px-4 py-2 text-right tabular-nums">{lead.score}</td>
              <td className="px-4 py-2 text-zinc-600">{lead.lastActivityAt ? <LocalTime value={lead.lastActivityAt} /> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
