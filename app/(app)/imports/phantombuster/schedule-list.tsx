import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { CADENCES } from "@/lib/imports/phantombuster/recurring/cadences";
import type { ScheduleRunView, ScheduleView } from "@/lib/imports/phantombuster/recurring/schedules";
import { CancelScheduleButton } from "./cancel-schedule-button";

const OUTCOME: Record<ScheduleRunView["outcome"], { label: string; tone: "green" | "red" | "neutral" }> = {
  imported: { label: "Imported", tone: "green" },
  nothing_new: { label: "Nothing new", tone: "neutral" },
  failed: { label: "Failed", tone: "red" },
};

/** The workspace's recurring imports with their latest runs; every run that imported links to its import. */
export function ScheduleList({ schedules, sandbox }: { schedules: ScheduleView[]; sandbox: boolean }) {
  return (
    <section aria-labelledby="recurring-imports" className="space-y-2">
      <h2 id="recurring-imports" className="text-sm font-semibold text-zinc-900">
        Recurring imports
      </h2>
      {schedules.length === 0 ? (
        <p className="text-sm text-zinc-600">
          None yet. Schedule one from an agent above: each run imports only the rows no earlier run imported.
        </p>
      ) : (
        <table className="w-full overflow-hidden rounded-lg border border-zinc-200 bg-white text-sm">
          <caption className="sr-only">Recurring PhantomBuster imports{sandbox ? " (sandbox: sample data)" : ""}</caption>
          <thead className="bg-zinc-50 text-left text-xs text-zinc-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Agent
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                How often
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Next check
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Latest runs
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200">
            {schedules.map((s) => (
              <tr key={s.id} className="align-top">
                <th scope="row" className="px-3 py-2 text-left font-medium text-zinc-900">
                  {s.agentName}
                </th>
                <td className="px-3 py-2 text-zinc-700">{CADENCES[s.cadence]}</td>
                <td className="px-3 py-2 text-zinc-700">
                  <LocalTime value={s.nextRunAt} withTime />
                </td>
                <td className="px-3 py-2">
                  {s.runs.length === 0 ? (
                    <span className="text-zinc-600">Its first import is starting.</span>
                  ) : (
                    <ul className="space-y-1">
                      {s.runs.map((run) => (
                        <li key={run.id} className="flex flex-wrap items-center gap-2">
                          <Badge tone={OUTCOME[run.outcome].tone}>{OUTCOME[run.outcome].label}</Badge>
                          <span className="text-xs text-zinc-600">
                            <LocalTime value={run.at} withTime />
                          </span>
                          {run.outcome === "imported" && run.importId ? (
                            <Link href={`/imports/${run.importId}`} className="text-xs font-medium text-accent-700 hover:underline">
                              {run.newRows.toLocaleString("en")} new {run.newRows === 1 ? "row" : "rows"}
                            </Link>
                          ) : run.message ? (
                            <span className="text-xs text-zinc-700">{run.message}</span>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="px-3 py-2 text-right">
                  <CancelScheduleButton scheduleId={s.id} agentName={s.agentName} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
