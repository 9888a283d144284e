import "server-only";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaigns, instantlyCampaignPushes, integrationAccounts } from "@/db/schema";
import { integrationsSandboxEnabled } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { instantlyTimeZoneFor } from "../time-zones";

/**
 * How the campaign life cycle (lib/campaigns/lifecycle) meets Instantly: the admin's choice at
 * launch is checked here (Instantly connected with a real key or as the sandbox, the workspace's time zone one
 * Instantly has an equivalent for) in the admin's transaction, before anything is pushed; pause,
 * resume and stop find here what to mirror.
 */
export const CAMPAIGN_DELIVERIES = ["resend", "instantly"] as const;
export type CampaignDelivery = (typeof CAMPAIGN_DELIVERIES)[number];

export const INSTANTLY_NOT_CONNECTED =
  "Instantly is not connected to this workspace with an API key: connect it in Settings → Integrations, or send this campaign through Resend.";

/**
 * The workspace's Instantly account that can push: connected with a real key, or the sandbox
 * (sample data: the push lands in the app's own Instantly sandbox, nothing is sent) where the
 * sandbox is on — never in production unless INTEGRATIONS_SANDBOX_ENABLED. A real key first.
 */
async function pushAccount(tx: Executor, workspaceId: string): Promise<{ id: string; sandbox: boolean } | null> {
  const [account] = await tx
    .select({ id: integrationAccounts.id, sandbox: integrationAccounts.sandbox })
    .from(integrationAccounts)
    .where(
      and(
        eq(integrationAccounts.workspaceId, workspaceId),
        eq(integrationAccounts.vendor, "instantly"),
        ne(integrationAccounts.status, "disconnected"),
        ...(integrationsSandboxEnabled() ? [] : [eq(integrationAccounts.sandbox, false)]),
      ),
    )
    .orderBy(asc(integrationAccounts.sandbox))
    .limit(1);
  return account ?? null;
}

/** The id of the workspace's Instantly account that can push (see pushAccount), or null. */
export async function instantlyPushAccount(tx: Executor, workspaceId: string): Promise<string | null> {
  return (await pushAccount(tx, workspaceId))?.id ?? null;
}

/**
 * A launch through Instantly may go ahead: returns the account to push with, or refuses with
 * what to do (Instantly not connected; a time zone Instantly has no equivalent for, named).
 */
export async function checkInstantlyLaunch(tx: Executor, workspaceId: string): Promise<{ accountId: string }> {
  const accountId = await instantlyPushAccount(tx, workspaceId);
  if (!accountId) throw new AppError("conflict", INSTANTLY_NOT_CONNECTED);
  const [workspace] = await tx.execute<{ time_zone: string }>(sql`select time_zone from public.workspaces where id = ${workspaceId}`);
  const zone = instantlyTimeZoneFor(workspace?.time_zone ?? "UTC");
  if (!zone.ok) throw new AppError("conflict", zone.message);
  return { accountId };
}

/** The push of a campaign launched through Instantly, as the life cycle needs it (null before the push job started). */
export async function pushOf(
  tx: Executor,
  workspaceId: string,
  campaignId: string,
): Promise<{ accountId: string; activated: boolean; status: string } | null> {
  const [push] = await tx
    .select({
      accountId: instantlyCampaignPushes.accountId,
      activatedAt: instantlyCampaignPushes.activatedAt,
      status: instantlyCampaignPushes.status,
    })
    .from(instantlyCampaignPushes)
    .where(and(eq(instantlyCampaignPushes.workspaceId, workspaceId), eq(instantlyCampaignPushes.campaignId, campaignId)));
  return push ? { accountId: push.accountId, activated: push.activatedAt !== null, status: push.status } : null;
}

/**
 * Whose signature and postal address the emails pushed to Instantly carry. Our own sending path
 * gives each enrollment one mailbox and signs with it; Instantly cannot be told that: a
 * campaign's senders are its `email_list`, Instantly itself picks which of them emails each
 * lead, and a lead added by `POST /leads` or `/leads/add` has no field naming a sending account
 * (`assigned_to` is a user of the Instantly workspace, not a mailbox) — vendors file §1.5, §1.8.
 * The copy is rendered here (Instantly's own variables cannot express our templates, the
 * postal address or our unsubscribe link), so it carries one identity's signature: the first
 * of the campaign's senders, by address, the same for every lead. `differing` names the other
 * senders whose signature or postal address is not that one's: the launch dialog and the
 * campaign page say so.
 */
export type InstantlySignature = { fromEmail: string; differing: string[] };

export async function instantlySignatureOf(tx: Executor, workspaceId: string, campaignId: string): Promise<InstantlySignature | null> {
  const rows = await tx.execute<{ from_email: string; signature: string | null; postal_address: string | null }>(sql`
    select i.from_email, i.signature, i.postal_address
    from public.campaign_identities ci join public.sending_identities i on i.id = ci.identity_id and i.workspace_id = ci.workspace_id
    where ci.campaign_id = ${campaignId} and ci.workspace_id = ${workspaceId} and i.archived_at is null
    order by i.from_email`);
  const [first, ...others] = rows;
  if (!first) return null;
  const same = (a: string | null, b: string | null) => (a ?? "").trim() === (b ?? "").trim();
  return {
    fromEmail: first.from_email,
    differing: others
      .filter((o) => !same(o.signature, first.signature) || !same(o.postal_address, first.postal_address))
      .map((o) => o.from_email),
  };
}

export type InstantlyDeliveryView = {
  delivery: CampaignDelivery;
  /** The workspace can launch through Instantly now (connected with a key, or the sandbox where it is on). */
  instantlyConnected: boolean;
  /** …and it is the sandbox: a push lands in the app's sample Instantly workspace, nothing is sent. */
  instantlySandbox: boolean;
  /** Whose signature every email sent through Instantly carries (see InstantlySignature). */
  signature: InstantlySignature | null;
  push: {
    status: string;
    instantlyCampaignId: string | null;
    instantlyTimeZone: string | null;
    leadsUploaded: number;
    leadsSkipped: number;
    leadsBlocked: number;
    leadsDone: boolean;
    activatedAt: Date | null;
    lastError: string | null;
    updatedAt: Date;
  } | null;
};

/** What the campaign page shows of the delivery, under the member's RLS. */
export async function getInstantlyDelivery(tx: Executor, workspaceId: string, campaignId: string): Promise<InstantlyDeliveryView> {
  const [campaign] = await tx
    .select({ delivery: campaigns.delivery })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, campaignId)));
  const [push] = await tx
    .select({
      status: instantlyCampaignPushes.status,
      instantlyCampaignId: instantlyCampaignPushes.instantlyCampaignId,
      instantlyTimeZone: instantlyCampaignPushes.instantlyTimeZone,
      leadsUploaded: instantlyCampaignPushes.leadsUploaded,
      leadsSkipped: instantlyCampaignPushes.leadsSkipped,
      leadsBlocked: instantlyCampaignPushes.leadsBlocked,
      leadsDone: instantlyCampaignPushes.leadsDone,
      activatedAt: instantlyCampaignPushes.activatedAt,
      lastError: instantlyCampaignPushes.lastError,
      updatedAt: instantlyCampaignPushes.updatedAt,
    })
    .from(instantlyCampaignPushes)
    .where(and(eq(instantlyCampaignPushes.workspaceId, workspaceId), eq(instantlyCampaignPushes.campaignId, campaignId)));
  const account = await pushAccount(tx, workspaceId);
  return {
    delivery: campaign?.delivery ?? "resend",
    instantlyConnected: account !== null,
    instantlySandbox: account?.sandbox ?? false,
    signature: await instantlySignatureOf(tx, workspaceId, campaignId),
    push: push ?? null,
  };
}
