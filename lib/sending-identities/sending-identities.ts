import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { sendingIdentities } from "@/db/schema";
import { sqlStateOf } from "@/db/sql-state";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, notFound } from "@/lib/errors";
import { sentTodaySql } from "@/lib/sending/capacity";
import { fromDomainRefusal } from "./from-domain";
import type { SendingIdentityFields } from "./schemas";

export type IdentityActor = { workspaceId: string; userId: string; role: WorkspaceRole };

export type SendingIdentity = {
  id: string;
  fromName: string;
  fromEmail: string;
  replyTo: string | null;
  dailyCap: number;
  sendDays: number[];
  sendFromMinute: number;
  sendUntilMinute: number;
  timeZone: string;
  postalAddress: string | null;
  signature: string | null;
  archived: boolean;
  /** Emails counted against its cap today, the day of its own time zone (sending_identity_usage, as the sender reserves them). */
  sentToday: number;
  /** Campaigns using it, and of those the ones past draft (pending, approved, running, paused, done). */
  campaigns: number;
  campaignsPastDraft: number;
  /** Pending, approved, running or paused: a change of what it puts in an email returns these to draft. */
  campaignsReturnedByContentChange: number;
};

const IDENTITY_NOT_FOUND = "That sending identity";

/** The statuses the database returns to draft when an identity's content changes (migration 0023). */
const WATCHED = sql`('pending_approval', 'approved', 'running', 'paused')`;

function assertManager(actor: IdentityActor): void {
  if (!can(actor.role, "sending.manage")) {
    throw new AppError("forbidden", "Only an admin can manage sending identities. Ask an admin of this workspace.");
  }
}

const columns = (fields: SendingIdentityFields) => ({
  fromName: fields.fromName,
  fromEmail: fields.fromEmail,
  replyTo: fields.replyTo,
  dailyCap: fields.dailyCap,
  sendDays: fields.sendDays,
  sendFromMinute: fields.sendFrom,
  sendUntilMinute: fields.sendUntil,
  timeZone: fields.timeZone,
  postalAddress: fields.postalAddress,
  signature: fields.signature,
});

function duplicateAddress(fromEmail: string): AppError {
  return new AppError("conflict", `Another sending identity already sends from ${fromEmail}. Use another address, or edit that one.`, {
    fromEmail: ["This workspace already sends from this address."],
  });
}

/** Every member reads them (the campaign editor lists them); archived ones only when asked for. */
export async function listSendingIdentities(
  tx: Database,
  { workspaceId, includeArchived = false }: { workspaceId: string; includeArchived?: boolean },
): Promise<SendingIdentity[]> {
  const rows = await tx
    .select({
      id: sendingIdentities.id,
      fromName: sendingIdentities.fromName,
      fromEmail: sendingIdentities.fromEmail,
      replyTo: sendingIdentities.replyTo,
      dailyCap: sendingIdentities.dailyCap,
      sendDays: sendingIdentities.sendDays,
      sendFromMinute: sendingIdentities.sendFromMinute,
      sendUntilMinute: sendingIdentities.sendUntilMinute,
      timeZone: sendingIdentities.timeZone,
      postalAddress: sendingIdentities.postalAddress,
      signature: sendingIdentities.signature,
      archived: sql<boolean>`${sendingIdentities.archivedAt} is not null`,
      // Qualified by hand: drizzle writes a bare "id" inside a select's sql, which would be the campaign's.
      sentToday: sentTodaySql(sql`"sending_identities"."id"`, sql`"sending_identities"."time_zone"`),
      campaigns: sql<number>`(select count(*)::int from public.campaign_identities ci where ci.identity_id = "sending_identities"."id")`,
      campaignsPastDraft: sql<number>`(select count(*)::int from public.campaign_identities ci
        join public.campaigns c on c.id = ci.campaign_id where ci.identity_id = "sending_identities"."id" and c.status <> 'draft')`,
      campaignsReturnedByContentChange: sql<number>`(select count(*)::int from public.campaign_identities ci
        join public.campaigns c on c.id = ci.campaign_id where ci.identity_id = "sending_identities"."id" and c.status in ${WATCHED})`,
    })
    .from(sendingIdentities)
    .where(and(eq(sendingIdentities.workspaceId, workspaceId), includeArchived ? undefined : sql`${sendingIdentities.archivedAt} is null`))
    .orderBy(asc(sql`${sendingIdentities.archivedAt} is not null`), asc(sendingIdentities.fromName), asc(sendingIdentities.fromEmail));
  return rows;
}

export async function getSendingIdentity(tx: Database, workspaceId: string, identityId: string): Promise<SendingIdentity> {
  const all = await listSendingIdentities(tx, { workspaceId, includeArchived: true });
  const found = all.find((i) => i.id === identityId);
  if (!found) throw notFound(IDENTITY_NOT_FOUND);
  return found;
}

export async function createSendingIdentity(tx: Database, actor: IdentityActor, fields: SendingIdentityFields): Promise<{ id: string }> {
  assertManager(actor);
  let row: { id: string } | undefined;
  try {
    [row] = await tx
      .insert(sendingIdentities)
      .values({ workspaceId: actor.workspaceId, createdBy: actor.userId, ...columns(fields) })
      .returning({ id: sendingIdentities.id });
  } catch (error) {
    if (sqlStateOf(error) === "23505") throw duplicateAddress(fields.fromEmail);
    throw fromDomainRefusal(error) ?? error;
  }
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "sending_identity.created",
    targetType: "sending_identity",
    targetId: row!.id,
    metadata: { fromEmail: fields.fromEmail },
  });
  return { id: row!.id };
}

const CONTENT_FIELDS = ["fromName", "fromEmail", "replyTo", "signature", "postalAddress"] as const;

/**
 * Saves the form. A change of what the identity puts in an email (from, reply-to, signature,
 * postal address) returns every pending, approved, running or paused campaign using it to
 * draft (the database does it, migration 0023); the answer says how many, and which fields.
 */
export async function updateSendingIdentity(
  tx: Database,
  actor: IdentityActor,
  identityId: string,
  fields: SendingIdentityFields,
): Promise<{ id: string; contentChanged: string[]; campaignsReturnedToDraft: number }> {
  assertManager(actor);
  const [before] = await tx
    .select()
    .from(sendingIdentities)
    .where(and(eq(sendingIdentities.id, identityId), eq(sendingIdentities.workspaceId, actor.workspaceId)))
    .for("update");
  if (!before) throw notFound(IDENTITY_NOT_FOUND);
  const next = columns(fields);
  const contentChanged = CONTENT_FIELDS.filter((f) => (before[f] ?? null) !== (next[f] ?? null));
  const returning = contentChanged.length
    ? await tx.execute<{ id: string }>(sql`
        select c.id from public.campaigns c join public.campaign_identities ci on ci.campaign_id = c.id
        where ci.identity_id = ${identityId} and c.workspace_id = ${actor.workspaceId} and c.status in ${WATCHED}`)
    : [];
  try {
    await tx
      .update(sendingIdentities)
      .set(next)
      .where(and(eq(sendingIdentities.id, identityId), eq(sendingIdentities.workspaceId, actor.workspaceId)));
  } catch (error) {
    if (sqlStateOf(error) === "23505") throw duplicateAddress(fields.fromEmail);
    throw fromDomainRefusal(error) ?? error;
  }
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "sending_identity.updated",
    targetType: "sending_identity",
    targetId: identityId,
    metadata: { contentChanged, campaignsReturnedToDraft: returning.map((r) => r.id) },
  });
  return { id: identityId, contentChanged, campaignsReturnedToDraft: returning.length };
}

/** Archived: kept for the campaigns that used it, no longer offered to new ones. Undone by restore. */
export async function setSendingIdentityArchived(
  tx: Database,
  actor: IdentityActor,
  identityId: string,
  archived: boolean,
): Promise<{ id: string; archived: boolean }> {
  assertManager(actor);
  const rows = await tx
    .update(sendingIdentities)
    .set({ archivedAt: archived ? (sql`now()` as unknown as Date) : null })
    .where(and(eq(sendingIdentities.id, identityId), eq(sendingIdentities.workspaceId, actor.workspaceId)))
    .returning({ id: sendingIdentities.id });
  if (rows.length === 0) throw notFound(IDENTITY_NOT_FOUND);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: archived ? "sending_identity.archived" : "sending_identity.restored",
    targetType: "sending_identity",
    targetId: identityId,
  });
  return { id: identityId, archived };
}

/**
 * Deletes an identity that no campaign past draft uses (drafts simply lose it). One that a
 * submitted, approved, running or finished campaign used stays: its history needs it, so the
 * refusal offers archiving instead.
 */
export async function deleteSendingIdentity(
  tx: Database,
  actor: IdentityActor,
  identityId: string,
): Promise<{ id: string; draftsChanged: number }> {
  assertManager(actor);
  const identity = await getSendingIdentity(tx, actor.workspaceId, identityId);
  if (identity.campaignsPastDraft > 0) {
    const n = identity.campaignsPastDraft;
    throw new AppError(
      "conflict",
      `${identity.fromEmail} is used by ${n} submitted or approved campaign${n === 1 ? "" : "s"}, so it cannot be deleted. Archive it instead: it stays on those campaigns and is no longer offered to new ones.`,
    );
  }
  // Checked again in the statement: a campaign submitted meanwhile keeps its identity.
  const deleted = await tx
    .delete(sendingIdentities)
    .where(
      and(
        eq(sendingIdentities.id, identityId),
        eq(sendingIdentities.workspaceId, actor.workspaceId),
        sql`not exists (select 1 from public.campaign_identities ci join public.campaigns c on c.id = ci.campaign_id
          where ci.identity_id = "sending_identities"."id" and c.status <> 'draft')`,
      ),
    )
    .returning({ id: sendingIdentities.id });
  if (deleted.length === 0)
    throw new AppError(
      "conflict",
      `${identity.fromEmail} is now used by a submitted campaign, so it cannot be deleted. Archive it instead.`,
    );
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "sending_identity.deleted",
    targetType: "sending_identity",
    targetId: identityId,
    metadata: { fromEmail: identity.fromEmail, draftsChanged: identity.campaigns },
  });
  return { id: identityId, draftsChanged: identity.campaigns };
}
