import { ExternalLink } from "lucide-react";
import Link from "next/link";
import { SampleDataBadge, sandboxVendorName } from "@/components/integrations/sample-data";
import { LiveRefresh } from "@/components/live/live-refresh";
import { Disclosure } from "@/components/ui/disclosure";
import { LocalTime } from "@/components/ui/local-time";
import { cn } from "@/components/ui/cn";
import { LEAD_STATUS_LABELS, leadDisplayName } from "@/lib/leads/lead-fields";
import { CompanyCard } from "./company-card";
import { EnrichmentPanel } from "./enrichment-panel";
import { EditLeadForm, NoteForm, OwnerControl, StatusControl } from "./lead-controls";
import { LeadProfile } from "./lead-profile";
import { LeadReplies } from "./lead-replies";
import { LeadTimeline } from "./lead-timeline";
import type { LeadDetailView } from "./load-lead-detail";

/**
 * One lead: profile, status and owner controls, edit form, notes, timeline, company card and
 * enrichment. The lead page renders it full width; the leads table's side panel renders it as
 * `variant="panel"` (one column, a link to the full page). Load it with `loadLeadDetail`.
 * Controls appear only for what the viewer may do; the server refuses the rest anyway.
 */
export function LeadDetail({ view, variant = "page" }: { view: LeadDetailView; variant?: "page" | "panel" }) {
  const { detail, viewer, ownerChoices } = view;
  const { lead } = detail;
  const idPrefix = `${variant}-${lead.id.slice(0, 8)}`;
  const panel = variant === "panel";
  const name = leadDisplayName(lead);
  const olderHref = detail.timeline.nextCursor
    ? `/leads/${lead.id}?before=${encodeURIComponent(detail.timeline.nextCursor)}#lead-timeline-heading`
    : null;

  return (
    <div className={cn("grid gap-5", panel ? "grid-cols-1" : "xl:grid-cols-[1fr_22rem]")} data-testid="lead-detail">
      {/* Its fields, owner, status and timeline follow changes made elsewhere; typing in the edit form is kept. */}
      <LiveRefresh kinds={["lead", "activity"]} ids={[detail.lead.id]} />
      <div className="min-w-0 space-y-5">
        {panel ? (
          <div className="flex items-start justify-between gap-3">
            <div className="min-w-0">
              <h2 className="truncate text-base font-semibold">{name}</h2>
              <p className="truncate text-sm text-zinc-600">{[lead.title, lead.companyName].filter(Boolean).join(" at ")}</p>
            </div>
            <Link href={`/leads/${lead.id}`} className="inline-flex shrink-0 items-center gap-1 text-sm text-accent-700 hover:underline">
              Open full page <ExternalLink aria-hidden className="size-3.5" />
            </Link>
          </div>
        ) : null}

        {view.sample ? (
          <p
            role="note"
            className="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
            data-testid="lead-sample-data"
          >
            <SampleDataBadge />
            {view.sample.created
              ? `This lead is sample data from the ${sandboxVendorName(view.sample.source) ?? "vendor"} sandbox: invented by this app, not a real person.`
              : `Some of this lead's values are sample data, written by ${view.sample.via === "import" ? "an import" : "an enrichment"} from the ${sandboxVendorName(view.sample.source) ?? "vendor"} sandbox.`}
          </p>
        ) : null}

        {lead.deletedAt ? (
          <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            This lead was deleted on <LocalTime value={lead.deletedAt} withTime />
            {lead.deletedBy ? ` by ${detail.people[lead.deletedBy]?.name ?? "a former member"}` : ""}. It is read-only until restored:{" "}
            <Link href="/leads?deleted=1" className="font-medium underline">
              restore it from the Deleted leads
            </Link>
            .
          </p>
        ) : null}

        {viewer.canEdit ? (
          <div className="flex flex-wrap items-center gap-4" data-testid="lead-controls">
            <StatusControl leadId={lead.id} status={lead.status} idPrefix={idPrefix} />
            {viewer.canChangeOwner ? (
              <OwnerControl leadId={lead.id} ownerId={lead.ownerId} choices={ownerChoices} idPrefix={idPrefix} />
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-zinc-600" data-testid="lead-status">
            Status: <span className="font-medium text-zinc-900">{LEAD_STATUS_LABELS[lead.status]}</span>
          </p>
        )}

        <section aria-labelledby={`${idPrefix}-profile-heading`} className="rounded-lg border border-zinc-200 bg-white p-4">
          <h2 id={`${idPrefix}-profile-heading`} className="mb-1 text-sm font-semibold">
            Profile
          </h2>
          <LeadProfile detail={detail} />
          {viewer.canEdit ? (
            <Disclosure className="mt-3 border-t border-zinc-100 pt-3">
              <summary className="cursor-pointer text-sm font-medium text-accent-700">Edit lead</summary>
              <div className="mt-3">
                <EditLeadForm key={lead.id} lead={lead} idPrefix={idPrefix} />
              </div>
            </Disclosure>
          ) : null}
        </section>

        {viewer.canNote ? (
          <section className="rounded-lg border border-zinc-200 bg-white p-4">
            <NoteForm leadId={lead.id} idPrefix={idPrefix} />
          </section>
        ) : null}

        <LeadReplies replies={view.replies} canEdit={viewer.canEdit} />

        <LeadTimeline detail={detail} olderHref={olderHref} />
      </div>

      <aside className="space-y-5" aria-label="Company and enrichment">
        <CompanyCard company={detail.company} companyName={lead.companyName} />
        <EnrichmentPanel enrichment={lead.enrichment} apollo={view.apollo} />
      </aside>
    </div>
  );
}
