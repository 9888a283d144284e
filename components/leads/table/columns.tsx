"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { SampleLeadMark } from "@/components/integrations/sample-data";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import type { EmailStatus, LeadStatus } from "@/db/schema/lead-enums";
import type { LeadListRow } from "@/lib/leads/lead-list-types";
import { LEAD_COLUMN_LABELS, type LeadColumn } from "@/lib/leads/list-state-shape";
import type { LeadTableFeatures } from "./features";
import { leadDisplayName } from "@/lib/leads/lead-fields";
import { LEAD_STATUS_LABELS } from "@/lib/leads/lead-fields";
import { EMAIL_STATUS_LABELS, SOURCE_LABELS } from "./labels";

const helper = createColumnHelper<LeadTableFeatures, LeadListRow>();

const STATUS_TONES: Record<LeadStatus, "neutral" | "accent" | "green" | "amber" | "red"> = {
  new: "neutral",
  contacted: "accent",
  replied: "accent",
  interested: "green",
  meeting: "green",
  won: "green",
  lost: "neutral",
  unsubscribed: "amber",
  bounced: "red",
};

const EMAIL_DOTS: Record<EmailStatus, string> = {
  unknown: "bg-zinc-300",
  valid: "bg-emerald-500",
  risky: "bg-amber-500",
  invalid: "bg-red-500",
};

/** Numbers and dates read best largest-first; words alphabetically. */
const DESC_FIRST = new Set<LeadColumn>(["score", "fitScore", "lastActivity", "created"]);

export type LeadCellContext = { leadHref: (id: string) => string };

/** The data columns, keyed by the URL's column names so visibility and order map one to one. */
export function leadColumns({ leadHref }: LeadCellContext) {
  return helper.columns([
    helper.accessor("firstName", {
      ...meta("name"),
      cell: ({ row }) => {
        const link = (
          <Link
            href={leadHref(row.original.id)}
            scroll={false}
            className="truncate font-medium text-zinc-900 hover:underline"
            data-lead-link
          >
            {leadDisplayName(row.original)}
          </Link>
        );
        const { sampleData, source } = row.original;
        return sampleData ? (
          <span className="flex min-w-0 items-center gap-1.5">
            {link}
            <SampleLeadMark sampleData={sampleData} source={source} />
          </span>
        ) : (
          link
        );
      },
    }),
    helper.accessor("title", { ...meta("title"), cell: ({ getValue }) => getValue() ?? <Dash /> }),
    helper.accessor("companyName", {
      ...meta("company"),
      cell: ({ row }) =>
        row.original.companyName && row.original.companyId ? (
          <Link href={`/companies/${row.original.companyId}`} className="hover:underline">
            {row.original.companyName}
          </Link>
        ) : (
          (row.original.companyName ?? <Dash />)
        ),
    }),
    helper.accessor("email", {
      ...meta("email"),
      cell: ({ row }) =>
        row.original.email ? (
          <span
            className="flex min-w-0 items-center gap-1.5"
            title={`${row.original.email} (${EMAIL_STATUS_LABELS[row.original.emailStatus].toLowerCase()})`}
          >
            <span aria-hidden className={cn("size-1.5 shrink-0 rounded-full", EMAIL_DOTS[row.original.emailStatus])} />
            <span className="truncate">{row.original.email}</span>
            <span className="sr-only">({EMAIL_STATUS_LABELS[row.original.emailStatus]})</span>
          </span>
        ) : (
          <Dash label="No email" />
        ),
    }),
    helper.accessor("status", {
      ...meta("status"),
      cell: ({ getValue }) => <Badge tone={STATUS_TONES[getValue()]}>{LEAD_STATUS_LABELS[getValue()]}</Badge>,
    }),
    helper.accessor("ownerName", {
      ...meta("owner"),
      cell: ({ getValue }) => getValue() ?? <span className="text-zinc-600">Unassigned</span>,
    }),
    helper.accessor("score", { ...meta("score"), cell: ({ getValue }) => <span className="tabular-nums">{getValue()}</span> }),
    helper.accessor("fitScore", {
      ...meta("fitScore"),
      cell: ({ getValue }) => {
        const value = getValue();
        return value === null ? <Dash label="Not scored" /> : <span className="tabular-nums">{value}</span>;
      },
    }),
    helper.accessor("icebreaker", {
      ...meta("icebreaker"),
      // Model output: text only, never markup.
      cell: ({ getValue }) => {
        const value = getValue();
        return value ? (
          <span className="block max-w-80 truncate" title={value}>
            {value}
          </span>
        ) : (
          <Dash label="No icebreaker" />
        );
      },
    }),
    helper.accessor("source", { ...meta("source"), cell: ({ getValue }) => SOURCE_LABELS[getValue()] }),
    helper.accessor("tags", { ...meta("tags"), enableSorting: true, cell: ({ getValue }) => <TagChips tags={getValue()} /> }),
    helper.accessor("lastActivityAt", {
      ...meta("lastActivity"),
      cell: ({ getValue }) => {
        const value = getValue();
        return value ? <LocalTime value={value} /> : <Dash label="No activity" />;
      },
    }),
    helper.accessor("createdAt", { ...meta("created"), cell: ({ getValue }) => <LocalTime value={getValue()} /> }),
  ]);
}

const meta = (id: LeadColumn) => ({ id, header: LEAD_COLUMN_LABELS[id], sortDescFirst: DESC_FIRST.has(id) });

function Dash({ label = "None" }: { label?: string }) {
  return (
    <span className="text-zinc-400" title={label}>
      —<span className="sr-only">{label}</span>
    </span>
  );
}

function TagChips({ tags }: { tags: string[] }) {
  if (tags.length === 0) return <Dash label="No tags" />;
  const shown = tags.slice(0, 2);
  return (
    <span className="flex gap-1 overflow-hidden" title={tags.join(", ")}>
      {shown.map((tag) => (
        <span key={tag} className="truncate rounded border border-zinc-200 bg-zinc-50 px-1.5 text-xs leading-5 text-zinc-700">
          {tag}
        </span>
      ))}
      {tags.length > shown.length ? <span className="text-xs leading-5 text-zinc-600">+{tags.length - shown.length}</span> : null}
    </span>
  );
}
