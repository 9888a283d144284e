"use client";
/**
 * The bulk actions of the lead table's selection. For the table (components/leads/table): render
 * `<BulkActionBar selection view owners currentUserId permissions onDone />` while something is
 * selected. These props are a stable contract: `selection` is exactly the table's LeadSelection
 * (`{ ids }` or `{ allMatching: state, count }`), `view` the table's state (the export's columns
 * and order; in the Deleted view only Restore is offered), `permissions` from the session's role
 * (leads.edit_own, leads.assign, data.export), `onDone` clears the selection after a change.
 */
import { DropdownMenu } from "radix-ui";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { MenuContent, MenuItem } from "@/components/ui/menu";
import { LEAD_STATUSES } from "@/db/schema/lead-enums";
import { usePagePin } from "@/components/live/live-provider";
import type { ActionResult, PagePin } from "@/lib/actions/execute-action";
import { describeSkips } from "@/lib/leads/bulk/plan-batch";
import { LEAD_STATUS_LABELS as STATUS_LABELS } from "@/lib/leads/lead-fields";
import type { BulkProgress, BulkSelection } from "@/lib/leads/bulk/schemas";
import { BULK_UNDO_SECONDS } from "@/lib/leads/bulk/undo-window";
import type { LeadListState } from "@/lib/leads/list-state";
import {
  bulkAddTags,
  bulkAssignOwner,
  bulkDelete,
  bulkRemoveTags,
  bulkRestore,
  bulkSetStatus,
  countBulkSelection,
  undoBulkDelete,
} from "@/app/(app)/leads/bulk-actions";
import { AddToCampaignButton, type CampaignTarget } from "@/components/campaigns/add-to-campaign-button";
import { AiEnrichButton } from "./bulk/ai-enrich-button";
import { ApolloEnrichButton } from "./bulk/apollo-enrich-button";
import { BulkConfirmDialog } from "./bulk/bulk-confirm-dialog";
import { BulkProgressBar } from "./bulk/bulk-progress";
import { BulkTagsPopover } from "./bulk/bulk-tags-popover";
import { ExportLink } from "./bulk/export-link";
import { exportHref } from "./bulk/export-href";

export type BulkActionBarProps = {
  selection: { ids: string[] } | { allMatching: LeadListState; count: number };
  view: LeadListState;
  owners: { id: string; name: string; canOwn: boolean }[];
  currentUserId: string;
  /** `enrich`: enrichment.run (Enrich with Apollo). */
  permissions: { edit: boolean; assign: boolean; export: boolean; enrich?: boolean };
  /** Given to roles that draft campaigns: the actor's drafts of picked leads, for "Add to campaign". */
  campaignTargets?: CampaignTarget[];
  onDone: () => void;
};

/** What a change is called in its confirmation and its result. */
type Verb = { question: (n: string) => string; done: (n: string) => string; undoable?: boolean };

type Call = (selection: BulkSelection, page?: PagePin) => Promise<ActionResult<BulkProgress>>;

const leadsWord = (n: number) => `${n.toLocaleString("en")} lead${n === 1 ? "" : "s"}`;
const failed = (): ActionResult<never> => ({
  ok: false,
  code: "network",
  error: "Could not reach the server. Check your connection and try again.",
});

export function BulkActionBar({ selection, view, owners, currentUserId, permissions, campaignTargets, onDone }: BulkActionBarProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const pin = usePagePin();
  const [confirming, setConfirming] = useState<{ count: number; verb: Verb; run: () => Promise<ActionResult<BulkProgress>> } | null>(null);
  const [following, setFollowing] = useState<{ operationId: string; verb: Verb } | null>(null);
  const all = "allMatching" in selection;
  const busy = pending || following !== null;

  const report = useCallback(
    (verb: Verb, progress: BulkProgress) => {
      const skipped = describeSkips(progress.skipped);
      const message = [progress.changed > 0 ? verb.done(leadsWord(progress.changed)) : "No lead was changed.", skipped]
        .filter(Boolean)
        .join(" ");
      if (progress.status === "failed") toast.error(`${message} ${progress.error ?? ""}`.trim());
      else if (verb.undoable && progress.changed > 0) {
        toast.success(message, {
          duration: BULK_UNDO_SECONDS * 1000,
          action: { label: "Undo", onClick: () => undo(progress.operationId) },
        });
      } else if (progress.changed > 0) toast.success(message);
      else toast.info(message);
      router.refresh();
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [router],
  );

  const followingRef = useRef(following);
  useEffect(() => {
    followingRef.current = following;
  }, [following]);
  const finishFollowing = useCallback(
    (progress: BulkProgress | null) => {
      const followed = followingRef.current;
      setFollowing(null);
      onDone();
      if (!followed) return;
      if (progress) report(followed.verb, progress);
      else toast.error("Lost track of the bulk change. Reload the page to see how far it got.");
    },
    [report, onDone],
  );

  function settle(verb: Verb, result: ActionResult<BulkProgress>) {
    if (!result.ok) return void toast.error(result.error);
    // A background change keeps the bar (and so its progress) until it finishes.
    if (result.data.background) return setFollowing({ operationId: result.data.operationId, verb });
    onDone();
    report(verb, result.data);
  }

  function undo(operationId: string) {
    startTransition(async () => {
      const result = await undoBulkDelete({ operationId }, pin).catch(failed);
      settle({ question: () => "", done: (n) => `Restored ${n}.` }, result);
    });
  }

  /** Selected rows change at once; "all matching" first counts exactly and asks. */
  function start(verb: Verb, call: Call) {
    startTransition(async () => {
      if (!all) return settle(verb, await call({ ids: selection.ids }, pin).catch(failed));
      const filter = exportHref.query(selection.allMatching);
      const counted = await countBulkSelection({ filter }, pin).catch(failed);
      if (!counted.ok) return void toast.error(counted.error);
      if (counted.data.count === 0) return void toast.info("No leads match this filter, so there is nothing to change.");
      const count = counted.data.count;
      setConfirming({ count, verb, run: () => call({ filter, confirmedCount: count }, pin) });
    });
  }

  /** The selection for an enrichment: the rows, or "all matching" counted exactly (the estimate then shows what that costs). */
  async function resolveEnrichSelection(): Promise<BulkSelection | null> {
    if (!all) return { ids: selection.ids };
    const filter = exportHref.query(selection.allMatching);
    const counted = await countBulkSelection({ filter }, pin).catch(failed);
    if (!counted.ok) {
      toast.error(counted.error);
      return null;
    }
    if (counted.data.count === 0) {
      toast.info("No leads match this filter, so there is nothing to enrich.");
      return null;
    }
    return { filter, confirmedCount: counted.data.count };
  }

  // Viewers and analysts are owners' names in the filter, never people to assign leads to.
  const assignable = owners.filter((o) => o.canOwn && (permissions.assign || o.id === currentUserId));
  const ownerName = (id: string | null) => (id === null ? "nobody" : (owners.find((o) => o.id === id)?.name ?? "them"));

  return (
    <div className="flex flex-wrap items-center gap-1.5">
      {permissions.edit && !view.deleted ? (
        <>
          <DropdownMenu.Root>
            <DropdownMenu.Trigger asChild>
              <Button variant="secondary" size="sm" disabled={busy}>
                Assign
              </Button>
            </DropdownMenu.Trigger>
            <MenuContent>
              {[...assignable.map((o) => o.id), null].map((id) => (
                <MenuItem
                  key={id ?? "none"}
                  onSelect={() =>
                    start(
                      {
                        question: (n) => (id ? `Assign ${n} to ${ownerName(id)}?` : `Unassign ${n}?`),
                        done: (n) => (id ? `Assigned ${n} to ${ownerName(id)}.` : `Unassigned ${n}.`),
                      },
                      (s, page) => bulkAssignOwner({ selection: s, ownerId: id }, page),
                    )
                  }
                >
                  {id === null ? "Unassigned" : id === currentUserId ? `${ownerName(id)} (me)` : ownerName(id)}
                </MenuItem>
              ))}
            </MenuContent>
          </DropdownMenu.Root>
          <DropdownMenu.Root>
            <DropdownMenu.Trigger asChild>
              <Button variant="secondary" size="sm" disabled={busy}>
                Status
              </Button>
            </DropdownMenu.Trigger>
            <MenuContent>
              {LEAD_STATUSES.map((status) => (
                <MenuItem
                  key={status}
                  onSelect={() =>
                    start(
                      { question: (n) => `Set ${n} to ${STATUS_LABELS[status]}?`, done: (n) => `Set ${n} to ${STATUS_LABELS[status]}.` },
                      (s, page) => bulkSetStatus({ selection: s, status }, page),
                    )
                  }
                >
                  {STATUS_LABELS[status]}
                </MenuItem>
              ))}
            </MenuContent>
          </DropdownMenu.Root>
          <BulkTagsPopover
            disabled={busy}
            onSubmit={(tags, mode) =>
              start(
                mode === "add"
                  ? { question: (n) => `Add ${tags.join(", ")} to ${n}?`, done: (n) => `Added ${tags.join(", ")} to ${n}.` }
                  : { question: (n) => `Remove ${tags.join(", ")} from ${n}?`, done: (n) => `Removed ${tags.join(", ")} from ${n}.` },
                (s, page) => (mode === "add" ? bulkAddTags({ selection: s, tags }, page) : bulkRemoveTags({ selection: s, tags }, page)),
              )
            }
          />
          <Button
            variant="danger"
            size="sm"
            disabled={busy}
            onClick={() =>
              start(
                {
                  question: (n) => `Delete ${n}? You can undo for ${BULK_UNDO_SECONDS} seconds, or restore them from the Deleted filter.`,
                  done: (n) => `Deleted ${n}.`,
                  undoable: true,
                },
                (s, page) => bulkDelete({ selection: s }, page),
              )
            }
          >
            Delete
          </Button>
        </>
      ) : null}
      {permissions.enrich && permissions.edit && !view.deleted ? (
        <>
          <AiEnrichButton
            disabled={busy}
            onDone={onDone}
            resolveTarget={async () => {
              const resolved = await resolveEnrichSelection();
              return resolved ? { selection: resolved } : null;
            }}
          />
          <ApolloEnrichButton disabled={busy} onDone={onDone} resolveSelection={resolveEnrichSelection} />
        </>
      ) : null}
      {permissions.edit && view.deleted ? (
        <Button
          variant="secondary"
          size="sm"
          disabled={busy}
          onClick={() =>
            start({ question: (n) => `Restore ${n}?`, done: (n) => `Restored ${n}.` }, (s, page) => bulkRestore({ selection: s }, page))
          }
        >
          Restore
        </Button>
      ) : null}
      {campaignTargets && !view.deleted ? (
        <AddToCampaignButton
          selection={all ? { filterQuery: exportHref.query(selection.allMatching) } : { ids: selection.ids }}
          targets={campaignTargets}
          disabled={busy}
        />
      ) : null}
      {permissions.export ? (
        <ExportLink
          href={exportHref(view, pin?.workspaceId, "ids" in selection ? selection.ids : undefined)}
          className="inline-flex h-7 items-center whitespace-nowrap rounded-md border border-zinc-300 bg-white px-2.5 text-xs font-medium text-zinc-800 hover:bg-zinc-50"
        >
          Export CSV
        </ExportLink>
      ) : null}
      {following ? <BulkProgressBar operationId={following.operationId} onFinished={finishFollowing} /> : null}
      <BulkConfirmDialog
        open={confirming !== null}
        question={confirming ? confirming.verb.question(leadsWord(confirming.count)) : ""}
        danger={confirming?.verb.undoable ?? false}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          const c = confirming;
          setConfirming(null);
          if (c) startTransition(async () => settle(c.verb, await c.run().catch(failed)));
        }}
      />
    </div>
  );
}
