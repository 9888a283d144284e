import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { EmailStatus, LeadStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordActivities } from "@/lib/leads/activities";
import { addSuppression } from "@/lib/suppressions/add-suppression";
import type { SuppressionReason } from "@/db/schema/campaign-enums";

type LeadRef = { workspaceId: string; leadId: string };

/**
 * Moves a live lead to `to` when its status is one of `from`, and records the move on its
 * timeline as the system's. Returns whether it moved. A bounce or a complaint says something
 * about the address, so it overrides the pipeline; a reply only moves a lead not yet further on.
 */
export async function moveLeadStatus(
  tx: Executor,
  lead: LeadRef,
  to: LeadStatus,
  from: readonly LeadStatus[],
  extra: { emailStatus?: EmailStatus; actorId?: string | null } = {},
): Promise<boolean> {
  const moved = await tx.execute<{ before: LeadStatus }>(sql`
    with current as (
      select id, status from public.leads
      where id = ${lead.leadId} and workspace_id = ${lead.workspaceId} and deleted_at is null
      for update
    )
    update public.leads l
    set status = ${to}, email_status = coalesce(${extra.emailStatus ?? null}::public.email_status, l.email_status)
    from current
    where l.id = current.id and current.status::text in (${sql.join(
      from.map((status) => sql`${status}`),
      sql`, `,
    )})
    returning current.status as before`);
  const before = moved[0]?.before;
  if (!before) return false;
  await recordActivities(tx, [{ ...lead, type: "status_changed", actorId: extra.actorId ?? null, payload: { before, after: to } }]);
  return true;
}

/**
 * Puts the address a campaign email went to on the workspace's suppression list. An address the
 * list cannot hold (it was sent to, so this should not happen) is logged and left: a webhook must
 * not fail for ever over it.
 *
 * A bounce or a complaint for an address already there because its owner unsubscribed takes
 * the entry over: the unsubscribe page's Undo lifts `unsubscribe` entries only, and must not
 * lift the fact that the address bounces or that its owner called our email spam.
 */
export async function suppressAddress(tx: Executor, workspaceId: string, address: string | null, reason: SuppressionReason, note: string) {
  if (!address) return;
  try {
    const entry = await addSuppression(tx, { workspaceId, kind: "email", value: address, reason, note, createdBy: null });
    if (!entry.created && entry.reason === "unsubscribe" && (reason === "bounce" || reason === "complaint")) {
      await tx.execute(sql`
        update public.suppressions set reason = ${reason}, note = ${note}
        where id = ${entry.id} and workspace_id = ${workspaceId} and reason = 'unsubscribe'`);
    }
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_input") {
      console.warn(`[sending/events] not suppressed (${reason}): the address is not one the list can hold`);
      return;
    }
    throw error;
  }
}
