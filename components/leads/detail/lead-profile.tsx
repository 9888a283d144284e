import type { ReactNode } from "react";
import { codedValueLabel, EMAIL_STATUS_LABELS, SOURCE_LABELS } from "@/components/leads/table/labels";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { LeadDetail } from "@/lib/leads/lead-detail-types";
import { LeadLocalTime } from "./lead-local-time";

const EMAIL_TONES = { unknown: "neutral", valid: "green", risky: "amber", invalid: "red" } as const;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2 py-1.5 text-sm">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="min-w-0 break-words text-zinc-900">{children ?? <span className="text-zinc-500">—</span>}</dd>
    </div>
  );
}

/** The lead's fields as read-only text (user data is rendered as text, never as HTML). */
export function LeadProfile({ detail }: { detail: LeadDetail }) {
  const { lead, people } = detail;
  const location = [lead.city, lead.country].filter(Boolean).join(", ");
  return (
    <dl className="divide-y divide-zinc-100" data-testid="lead-profile">
      <Row label="Email">
        {lead.email ? (
          <span className="flex flex-wrap items-center gap-2">
            <a className="min-w-0 text-accent-700 wrap-anywhere hover:underline" href={`mailto:${lead.email}`}>
              {lead.email}
            </a>
            <Badge tone={EMAIL_TONES[lead.emailStatus]}>{EMAIL_STATUS_LABELS[lead.emailStatus]}</Badge>
          </span>
        ) : null}
      </Row>
      <Row label="Title">{lead.title}</Row>
      <Row label="Seniority">{codedValueLabel(lead.seniority)}</Row>
      <Row label="Department">{codedValueLabel(lead.department)}</Row>
      <Row label="Phone">{lead.phone}</Row>
      <Row label="LinkedIn">
        {lead.linkedinUrl ? (
          <a className="text-accent-700 hover:underline" href={lead.linkedinUrl} target="_blank" rel="noopener noreferrer nofollow">
            {lead.linkedinUrl.replace("https://www.", "")}
          </a>
        ) : null}
      </Row>
      <Row label="Location">{location || null}</Row>
      <Row label="Time zone">
        {lead.timeZone ? (
          <>
            {lead.timeZone}
            <LeadLocalTime timeZone={lead.timeZone} />
          </>
        ) : null}
      </Row>
      <Row label="Score">
        <span className="tabular-nums">{lead.score}</span>
      </Row>
      <Row label="Source">{SOURCE_LABELS[lead.source]}</Row>
      <Row label="Tags">
        {lead.tags.length ? (
          <span className="flex flex-wrap gap-1">
            {lead.tags.map((tag) => (
              <Badge key={tag}>{tag}</Badge>
            ))}
          </span>
        ) : null}
      </Row>
      <Row label="Owner">{lead.ownerId ? (people[lead.ownerId]?.name ?? "A former member") : "Unassigned"}</Row>
      <Row label="Created">
        <LocalTime value={lead.createdAt} withTime />
        {lead.createdBy ? ` by ${people[lead.createdBy]?.name ?? "a former member"}` : null}
      </Row>
      <Row label="Last activity">{lead.lastActivityAt ? <LocalTime value={lead.lastActivityAt} withTime /> : null}</Row>
    </dl>
  );
}
