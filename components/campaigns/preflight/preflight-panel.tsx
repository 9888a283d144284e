import { AlertTriangle, CalendarClock, CircleCheck, Link2, OctagonX, Users } from "lucide-react";
import Link from "next/link";
import { Disclosure } from "@/components/ui/disclosure";
import { describeCapacityNeeds, describeDailyCapacity } from "@/lib/campaigns/preflight/capacity";
import type { PreflightIssue, PreflightReport } from "@/lib/campaigns/preflight/types";
import { EXCLUSION_REASONS, type ExclusionReason } from "@/lib/campaigns/types";

const n = (value: number) => value.toLocaleString("en-US");

/**
 * Pre-flight as the rep (editor, campaign page) and the approver (review screen) read it: what
 * blocks the campaign's next step (`goal`), the warnings with the leads they concern, who is emailed and who is left
 * out, how long the identities take, and the links. Renders a report computed on the server
 * (runPreflight); holds no state, so it renders on the server or inside a client page alike.
 */
/** The next step the checks stand before: a draft's submission, a pending campaign's approval, an approved one's launch. */
export type PreflightGoal = "submission" | "approval" | "launch";

const GOAL_WORDS: Record<PreflightGoal, { noun: string; fix: string }> = {
  submission: { noun: "submission", fix: "Fix before submitting" },
  // Whoever reads it then cannot edit the campaign: the approver rejects it, its author fixes it.
  approval: { noun: "approval", fix: "Blocking approval" },
  launch: { noun: "launch", fix: "Fix before launching" },
};

export function PreflightPanel({ report, goal, headingLevel = 2 }: { report: PreflightReport; goal: PreflightGoal; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const ready = report.blocking.length === 0;
  const words = GOAL_WORDS[goal];
  return (
    <section aria-labelledby="preflight-title" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 text-sm">
      <div className="flex items-center justify-between gap-2">
        <H id="preflight-title" className="text-sm font-semibold">
          Pre-flight checks
        </H>
        <p role="status" className={ready ? "flex items-center gap-1 text-emerald-700" : "flex items-center gap-1 text-red-700"}>
          {ready ? <CircleCheck aria-hidden className="size-4" /> : <OctagonX aria-hidden className="size-4" />}
          {ready
            ? `Nothing blocks ${words.noun}`
            : `${report.blocking.length} ${report.blocking.length === 1 ? "problem blocks" : "problems block"} ${words.noun}`}
        </p>
      </div>

      {report.blocking.length > 0 ? (
        <IssueList title={words.fix} tone="red" issues={report.blocking} Heading={headingLevel === 2 ? "h3" : "h4"} />
      ) : null}
      {report.warnings.length > 0 ? (
        <IssueList title="Warnings" tone="amber" issues={report.warnings} Heading={headingLevel === 2 ? "h3" : "h4"} />
      ) : null}

      <dl className="space-y-3">
        <div>
          <dt className="flex items-center gap-1 text-xs font-medium text-zinc-600">
            <Users aria-hidden className="size-3.5" /> Audience
          </dt>
          {report.audience ? (
            <>
              <dd>
                {n(report.audience.eligible)} of {n(report.audience.matched)} matching leads will be emailed
              </dd>
              <dd>
                <ExclusionList excluded={report.audience.excluded} />
              </dd>
            </>
          ) : (
            <dd className="text-zinc-600">No audience chosen yet.</dd>
          )}
        </div>
        <div>
          <dt className="flex items-center gap-1 text-xs font-medium text-zinc-600">
            <CalendarClock aria-hidden className="size-3.5" /> Capacity
          </dt>
          {report.capacity ? (
            <>
              <dd>
                {n(report.capacity.totalEmails)} emails at most, {describeDailyCapacity(report.capacity.perDay)}
              </dd>
              {report.capacity.today.used > 0 ? (
                <dd className="text-zinc-700">
                  Today: {n(report.capacity.today.used)} already sent or reserved from these identities, {n(report.capacity.today.left)}{" "}
                  left.
                </dd>
              ) : null}
              {report.capacity.totalEmails > 0 ? (
                <dd className="text-zinc-700">
                  Last email around <time dateTime={report.capacity.finishDate}>{report.capacity.finishDate}</time> if launched today (
                  {n(report.capacity.days)} {report.capacity.days === 1 ? "day" : "days"}; longer if other campaigns share these identities,
                  shorter as leads reply).
                </dd>
              ) : null}
            </>
          ) : (
            <dd className="text-zinc-600">{describeCapacityNeeds(report.capacityNeeds)}</dd>
          )}
        </div>
        <div>
          <dt className="flex items-center gap-1 text-xs font-medium text-zinc-600">
            <Link2 aria-hidden className="size-3.5" /> Links in the emails
          </dt>
          {report.links.length === 0 ? <dd className="text-zinc-600">No links.</dd> : null}
          {report.links.map((l) => (
            <dd key={l.where}>
              <span className="text-xs text-zinc-600">{l.where}: </span>
              {l.urls.map((url, i) => (
                <span key={url}>
                  {i > 0 ? ", " : null}
                  <span className="break-all font-mono text-xs">{url}</span>
                </span>
              ))}
            </dd>
          ))}
        </div>
      </dl>
    </section>
  );
}

function IssueList({
  title,
  tone,
  issues,
  Heading,
}: {
  title: string;
  tone: "red" | "amber";
  issues: PreflightIssue[];
  Heading: "h3" | "h4";
}) {
  const box = tone === "red" ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900";
  const Icon = tone === "red" ? OctagonX : AlertTriangle;
  return (
    <div className={`rounded-md border p-3 ${box}`}>
      <Heading className="mb-1 text-xs font-semibold tracking-wide uppercase">{title}</Heading>
      <ul className="space-y-2">
        {issues.map((issue, i) => (
          <li key={`${issue.code}-${i}`} className="flex gap-2">
            <Icon aria-hidden className="mt-0.5 size-4 shrink-0" />
            <div className="min-w-0">
              {issue.where ? <p className="text-xs font-medium">{issue.where}</p> : null}
              <p>{issue.message}</p>
              {issue.leads?.length ? (
                <Disclosure className="mt-1">
                  <summary className="cursor-pointer text-xs underline">
                    Show {issue.leads.length === 1 ? "the lead" : `${issue.leads.length}${issue.moreLeads ? " of them" : " leads"}`}
                  </summary>
                  <ul className="mt-1 space-y-0.5 text-xs">
                    {issue.leads.map((lead) => (
                      <li key={lead.id}>
                        <Link href={`/leads/${lead.id}`} className="underline">
                          {lead.name}
                        </Link>
                        {lead.email && lead.email !== lead.name ? <span> · {lead.email}</span> : null}
                      </li>
                    ))}
                    {issue.moreLeads ? <li>and {n(issue.moreLeads)} more</li> : null}
                  </ul>
                </Disclosure>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ExclusionList({ excluded }: { excluded: Record<ExclusionReason, number> }) {
  const reasons = (Object.keys(EXCLUSION_REASONS) as ExclusionReason[]).filter((r) => excluded[r] > 0);
  if (reasons.length === 0) return <span className="text-xs text-zinc-600">Nobody is left out.</span>;
  return (
    <ul aria-label="Left out" className="mt-1 space-y-0.5 text-xs text-zinc-700">
      {reasons.map((r) => (
        <li key={r}>
          {EXCLUSION_REASONS[r]}: {n(excluded[r])}
        </li>
      ))}
    </ul>
  );
}
