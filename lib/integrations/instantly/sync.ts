import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { withServiceTx, type Database } from "@/db";
import { instantlyCampaignDailyAnalytics, instantlyCampaigns, integrationAccounts } from "@/db/schema";
import { IntegrationNotConnected, openIntegrationKeyForJob } from "@/lib/integrations/accounts/integration-key";
import { keepInvalidAnswer } from "@/lib/integrations/accounts/record-outcome";
import { env } from "@/lib/env";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { ensureInstantlyWebhook, type WebhookAction } from "./webhooks/register";
import { connectedInstantlyWebhookSecret } from "./webhooks/secret";
import { instantlySandboxBaseUrl } from "./sandbox/base-url";
import { createInstantlyClient, type InstantlyClient, type InstantlyClientConfig } from "./client";
import { noneReflected, reflectInstantlyLeads, reflectInstantlyReplies, type Reflected } from "./reflect-on-leads";
import {
  storeInstantlyCampaigns,
  storeInstantlyDailyAnalytics,
  storeInstantlyEmails,
  storeInstantlyLeads,
  storeInstantlySendingAccounts,
  readInstantlyCursor,
  writeInstantlyCursor,
} from "./raw-store";
import {
  campaignDailyAnalytics,
  instantlyPages,
  listAccountsPage,
  listCampaignsPage,
  listLeadsPage,
  listReceivedEmailsPage,
  INSTANTLY_PAGE_LIMIT,
  type InstantlyPage,
} from "./resources";
import type { InstantlyLead, LeftOutItem } from "./schemas";
import { syncPushedCampaigns, type EnrollmentsReflected } from "./push/reflect-on-enrollments";

/**
 * The Instantly sync of one workspace (inngest/functions/integrations/sync-instantly.ts runs
 * each resource as a step). Every page is stored in one transaction with the cursor that
 * follows it, so a sync that fails half-way (Instantly down, a refused key) keeps what it
 * stored and the next attempt resumes after it: nothing is lost and nothing is read twice.
 * Runs as the service (a cron has no user); every statement names the workspace.
 */
export const INSTANTLY_SYNC_STEPS = [
  "campaigns",
  "sending_accounts",
  "campaign_daily_analytics",
  "leads",
  "lead_states",
  "emails",
  "pushed_campaigns",
] as const;
export type InstantlySyncStep = (typeof INSTANTLY_SYNC_STEPS)[number];

export type InstantlySyncTarget = { workspaceId: string; accountId: string };
export type StepOutcome = {
  requests: number;
  stored: number;
  reflected?: Reflected;
  /** The pushed_campaigns step: what reached the enrollments of campaigns launched from here, and the campaigns it completed. */
  enrollments?: EnrollmentsReflected & { completedCampaigns: number };
};

/** Days of analytics read for a campaign seen for the first time when Instantly gives no creation date. */
const FIRST_ANALYTICS_DAYS = 90;

/** The account's Instantly client, for the sync: the key is opened here and never leaves the step. */
export async function instantlyClientForSync(
  db: Database,
  target: InstantlySyncTarget,
  options: Omit<InstantlyClientConfig, "apiKey"> = {},
): Promise<InstantlyClient> {
  const { apiKey, sandbox } = await openIntegrationKeyForJob(db, target, "instantly");
  // A sandbox account reads the app's own sample workspace, through the same client.
  return createInstantlyClient({ ...options, apiKey, ...(sandbox ? { baseUrl: instantlySandboxBaseUrl() } : {}) });
}

/** Where Instantly cannot deliver: this server's own machine. */
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i;

/**
 * The sync's first step: the workspace's webhook registered and enabled (webhooks/register.ts).
 * Never fails the sync: webhooks need a higher Instantly plan, and the hourly sync is the
 * source of truth anyway; a refusal is returned as the step's outcome. A real account on a
 * server Instantly cannot reach (APP_URL on loopback) registers nothing.
 */
export async function ensureInstantlyWebhookForSync(
  db: Database,
  target: InstantlySyncTarget,
  options: Omit<InstantlyClientConfig, "apiKey"> = {},
): Promise<{ action: WebhookAction; id: string } | { skipped: string }> {
  try {
    const { sandbox } = await openIntegrationKeyForJob(db, target, "instantly");
    if (!sandbox && LOOPBACK.test(new URL(env().APP_URL).hostname)) {
      return { skipped: "APP_URL is this machine: Instantly could not deliver webhooks to it, so none is registered." };
    }
    const connected = await connectedInstantlyWebhookSecret(db, target.workspaceId);
    if (!connected || connected.accountId !== target.accountId) return { skipped: "Instantly is no longer connected to this workspace." };
    return await ensureInstantlyWebhook(await instantlyClientForSync(db, target, options), target.workspaceId, connected.secret);
  } catch (error) {
    if (error instanceof VendorError || error instanceof IntegrationNotConnected) return { skipped: error.message };
    throw error;
  }
}

/**
 * Keeps the items a sync step left out for their shape (the rest of their page was stored), one
 * row each in integration_invalid_answers, where the admin sees what Instantly sent.
 */
export function keepLeftOutItems(target: InstantlySyncTarget, step: InstantlySyncStep): KeepLeftOut {
  return async (items) => {
    for (const left of items) {
      const problem = `Instantly's ${step} answer had an item of another shape at ${left.field} (${left.problem}): that item was left out, the rest of its page kept.`;
      await keepInvalidAnswer(
        { ...target, vendor: "instantly" },
        `sync: ${step}`,
        new VendorError("instantly", "invalid_response", problem, { body: left.item, field: left.field }),
      );
    }
  };
}

/** One resource of the sync, with the client's request count and, for leads and emails, what reached our leads. */
export async function syncInstantlyStep(
  client: InstantlyClient,
  workspaceId: string,
  step: InstantlySyncStep,
  {
    today = new Date(),
    keepLeftOut = async () => {},
  }: {
    today?: Date;
    /** Items of a page left out for their shape (the rest of the page is stored): keep them for the admin. */
    keepLeftOut?: KeepLeftOut;
  } = {},
): Promise<StepOutcome> {
  const before = client.requestCount;
  const reflected = noneReflected();
  if (step === "pushed_campaigns") {
    // After the replies (emails): a reply ends its enrollment as replied before Instantly's lead state is read.
    const outcome = await syncPushedCampaigns(client, workspaceId, (tx, items) => storeAndReflectLeads(tx, workspaceId, items, reflected));
    return {
      requests: client.requestCount - before,
      stored: outcome.stored,
      reflected,
      enrollments: { ...outcome.reflected, completedCampaigns: outcome.completedCampaigns },
    };
  }
  const stored = await STEPS[step](client, workspaceId, today, reflected, keepLeftOut);
  return {
    requests: client.requestCount - before,
    stored,
    ...(step === "leads" || step === "lead_states" || step === "emails" ? { reflected } : {}),
  };
}

const add = (tally: Reflected, more: Reflected) => {
  for (const key of ["bounced", "unsubscribed", "replied", "added"] as const) tally[key] += more[key];
};

export type KeepLeftOut = (items: LeftOutItem[]) => Promise<void>;

type Step = (client: InstantlyClient, workspaceId: string, today: Date, reflected: Reflected, keep: KeepLeftOut) => Promise<number>;

const STEPS: Record<Exclude<InstantlySyncStep, "pushed_campaigns">, Step> = {
  // Few, and changed in place (status, settings): read whole each time; a short page is the last.
  campaigns: (client, workspaceId, _today, _reflected, keep) =>
    storePages(
      instantlyPages((after) => listCampaignsPage(client, after), { shortPageEnds: true }),
      async (tx, page) => (await storeInstantlyCampaigns(tx, workspaceId, page.items)).length,
      keep,
    ),
  sending_accounts: (client, workspaceId, _today, _reflected, keep) =>
    storePages(
      instantlyPages((after) => listAccountsPage(client, after), { shortPageEnds: true }),
      async (tx, page) => (await storeInstantlySendingAccounts(tx, workspaceId, page.items)).length,
      keep,
    ),
  // Oldest first: resume after the last one stored. A new or changed lead's bounce or
  // unsubscribe reaches our lead in the transaction that stores it.
  leads: (client, workspaceId, _today, reflected, keep) =>
    syncFromCursor(
      workspaceId,
      "leads",
      (after) => listLeadsPage(client, after),
      (tx, items) => storeAndReflectLeads(tx, workspaceId, items, reflected),
      (l) => l.id,
      keep,
    ),
  // The cursor never goes back, and Instantly offers no "changed since": a lead synced before
  // that bounces or unsubscribes later is found by reading those two lists whole, to the empty
  // page that ends a list (a bounce missed is an address we would send to again); only what
  // changed since the last sync is written and reflected.
  lead_states: async (client, workspaceId, _today, reflected, keep) => {
    let stored = 0;
    for (const filter of ["FILTER_VAL_BOUNCED", "FILTER_VAL_UNSUBSCRIBED"] as const) {
      stored += await storePages(
        instantlyPages((after) => listLeadsPage(client, after, INSTANTLY_PAGE_LIMIT, filter)),
        (tx, page) => storeAndReflectLeads(tx, workspaceId, page.items, reflected),
        keep,
      );
    }
    return stored;
  },
  // A reply reaches our lead the first time its email is stored.
  emails: (client, workspaceId, _today, reflected, keep) =>
    syncFromCursor(
      workspaceId,
      "emails",
      (after) => listReceivedEmailsPage(client, after),
      async (tx, items) => {
        const changed = await storeInstantlyEmails(tx, workspaceId, items);
        const fresh = new Set(changed.filter((r) => r.inserted).map((r) => r.instantlyId));
        add(
          reflected,
          await reflectInstantlyReplies(
            tx,
            workspaceId,
            items.filter((e) => fresh.has(e.id)),
          ),
        );
        return changed.length;
      },
      (e) => e.timestamp_created ?? undefined,
      keep,
    ),
  campaign_daily_analytics: syncDailyAnalytics,
};

async function storeAndReflectLeads(tx: Database, workspaceId: string, items: InstantlyLead[], reflected: Reflected): Promise<number> {
  const changed = new Set((await storeInstantlyLeads(tx, workspaceId, items)).map((r) => r.instantlyId));
  add(
    reflected,
    await reflectInstantlyLeads(
      tx,
      workspaceId,
      items.filter((l) => changed.has(l.id)),
    ),
  );
  return changed.size;
}

async function storePages<T>(
  pages: AsyncGenerator<InstantlyPage<T>>,
  store: (tx: Database, page: InstantlyPage<T>) => Promise<number>,
  keep: KeepLeftOut,
) {
  let stored = 0;
  for await (const page of pages) {
    stored += await withServiceTx((tx) => store(tx, page));
    if (page.leftOut.length > 0) await keep(page.leftOut);
  }
  return stored;
}

async function syncFromCursor<T>(
  workspaceId: string,
  resource: "leads" | "emails",
  fetchPage: (after: string | undefined) => Promise<InstantlyPage<T>>,
  store: (tx: Database, items: T[]) => Promise<number>,
  cursorOf: (item: T) => string | undefined,
  keep: KeepLeftOut,
): Promise<number> {
  const startingAfter = await withServiceTx((tx) => readInstantlyCursor(tx, workspaceId, resource));
  // A short page ends the list: what might follow it is read from the stored cursor next time.
  return storePages(
    instantlyPages(fetchPage, { startingAfter, shortPageEnds: true }),
    async (tx, page) => {
      const stored = await store(tx, page.items);
      const last = page.items.at(-1);
      const next = page.next ?? (last === undefined ? undefined : cursorOf(last));
      if (next) await writeInstantlyCursor(tx, workspaceId, resource, next);
      return stored;
    },
    keep,
  );
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (day: string, days: number) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));

/**
 * Each campaign that has left the draft state, from the first day that can still change: the
 * stored cursor (yesterday, as of the last sync: late replies and opens still count towards
 * it), or the campaign's creation day the first time. One request per campaign: the endpoint
 * takes one `campaign_id`.
 */
async function syncDailyAnalytics(client: InstantlyClient, workspaceId: string, today: Date): Promise<number> {
  const endDate = isoDay(today);
  const { campaigns, resumeFrom } = await withServiceTx(async (tx) => ({
    campaigns: await tx.execute<{ id: string; created: string | null; has_days: boolean }>(sql`
      select c.instantly_id as id, c.raw->>'timestamp_created' as created,
        exists (select 1 from ${instantlyCampaignDailyAnalytics} d
                where d.workspace_id = c.workspace_id and d.campaign_id = c.instantly_id) as has_days
      from ${instantlyCampaigns} c
      where c.workspace_id = ${workspaceId} and coalesce((c.raw->>'status')::numeric, 1) <> 0
      order by c.instantly_id`),
    resumeFrom: await readInstantlyCursor(tx, workspaceId, "campaign_daily_analytics"),
  }));
  let stored = 0;
  for (const campaign of campaigns) {
    const created = campaign.created && !Number.isNaN(Date.parse(campaign.created)) ? isoDay(new Date(campaign.created)) : undefined;
    const firstTime = created ?? addDays(endDate, -FIRST_ANALYTICS_DAYS);
    const startDate = campaign.has_days && resumeFrom ? resumeFrom : firstTime;
    const days = await campaignDailyAnalytics(client, campaign.id, { startDate: startDate > endDate ? endDate : startDate, endDate });
    stored += await withServiceTx((tx) => storeInstantlyDailyAnalytics(tx, workspaceId, campaign.id, days));
  }
  await withServiceTx((tx) => writeInstantlyCursor(tx, workspaceId, "campaign_daily_analytics", addDays(endDate, -1)));
  return stored;
}

/** What the account shows after a sync: connected, or failing with Instantly's reason. */
export async function recordInstantlySyncOutcome(
  db: Database,
  { workspaceId, accountId }: InstantlySyncTarget,
  error?: unknown,
  step?: InstantlySyncStep,
) {
  const failure = error === undefined ? null : syncFailureMessage(error);
  // A malformed answer is kept as received: the run fails on it and writes nothing from it.
  if (error !== undefined) await keepInvalidAnswer({ workspaceId, accountId, vendor: "instantly" }, `sync: ${step ?? "?"}`, error);
  await db
    .update(integrationAccounts)
    .set(
      failure
        ? { status: "failing", lastError: failure, lastErrorAt: sql`now()` as unknown as Date }
        : { status: "connected", lastSuccessAt: sql`now()` as unknown as Date, lastError: null, lastErrorAt: null },
    )
    .where(
      and(
        eq(integrationAccounts.id, accountId),
        eq(integrationAccounts.workspaceId, workspaceId),
        sql`${integrationAccounts.status} <> 'disconnected'`,
      ),
    );
}

export function syncFailureMessage(error: unknown): string {
  const message =
    error instanceof VendorError ? error.message : `The Instantly sync failed: ${error instanceof Error ? error.message : String(error)}`;
  return `Sync: ${message}`.slice(0, 1000);
}
