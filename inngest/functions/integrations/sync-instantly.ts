import { cron, NonRetriableError, RetryAfterError } from "inngest";
import { and, eq, ne } from "drizzle-orm";
import { serviceDb } from "@/db";
import { integrationAccounts } from "@/db/schema";
import { inngest, instantlySyncRequested, type CronContext, type EventContext } from "@/inngest/client";
import { IntegrationNotConnected } from "@/lib/integrations/accounts/integration-key";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import {
  ensureInstantlyWebhookForSync,
  INSTANTLY_SYNC_STEPS,
  instantlyClientForSync,
  recordInstantlySyncOutcome,
  keepLeftOutItems,
  syncInstantlyStep,
  type StepOutcome,
} from "@/lib/integrations/instantly/sync";

/**
 * One workspace's Instantly sync: campaigns, sending accounts, daily campaign analytics, leads
 * and received emails, each a step (lib/integrations/instantly/sync.ts), so a retry resumes at
 * the resource that failed and, inside it, after the last page stored. Every failure is written
 * on the account at once (Settings → Integrations shows it); Instantly being down is retried
 * with back-off, its rate limit after the wait it asks for, a refused key or a malformed answer fails the run at once
 * (retrying cannot help). The key is opened inside each step and never leaves it.
 */
export async function syncInstantly({ event, step }: EventContext<"integrations/instantly-sync.requested">) {
  const target = { workspaceId: event.data.workspaceId, accountId: event.data.accountId };
  const outcomes: Partial<Record<(typeof INSTANTLY_SYNC_STEPS)[number], StepOutcome>> = {};
  // The webhook first (registered, or re-enabled if Instantly disabled it); never fails the sync.
  await step.run("webhook", () => ensureInstantlyWebhookForSync(serviceDb(), target));
  for (const name of INSTANTLY_SYNC_STEPS) {
    const outcome = await step.run(name, async (): Promise<StepOutcome | { skipped: string }> => {
      try {
        const client = await instantlyClientForSync(serviceDb(), target);
        return await syncInstantlyStep(client, target.workspaceId, name, { keepLeftOut: keepLeftOutItems(target, name) });
      } catch (error) {
        if (error instanceof IntegrationNotConnected) return { skipped: error.message };
        await recordInstantlySyncOutcome(serviceDb(), target, error, name);
        throw asStepError(error);
      }
    });
    if ("skipped" in outcome) return outcome;
    outcomes[name] = outcome;
  }
  await step.run("record-success", () => recordInstantlySyncOutcome(serviceDb(), target));
  return outcomes;
}

/**
 * How a failed step is retried: a refused key or a malformed answer not at all (retrying
 * cannot help); a rate limit after the wait Instantly asked for when that is longer than a call
 * sits through, durably; anything else (Instantly down) with the executor's back-off.
 */
export function asStepError(error: unknown): unknown {
  if (!(error instanceof VendorError)) return error;
  if (!error.retryable) return new NonRetriableError(error.message, { cause: error });
  if (error.kind === "rate_limited" && error.details.retryAfterMs) {
    return new RetryAfterError(error.message, error.details.retryAfterMs, { cause: error });
  }
  return error;
}

export const syncInstantlyFunction = inngest.createFunction(
  {
    id: "sync-instantly",
    name: "Sync an Instantly account",
    triggers: [instantlySyncRequested],
    // One sync at a time per account; its requests go one after another, far below Instantly's
    // 100 a second and 6,000 a minute per workspace (GET /emails, 20 a minute, is paced by the
    // client). At most one sync starts per account a minute: "Sync now" clicks queue behind it.
    concurrency: { limit: 1, key: "event.data.accountId" },
    throttle: { limit: 1, period: "1m", key: "event.data.accountId" },
    retries: 4,
  },
  syncInstantly,
);

/**
 * Hourly: one sync per connected Instantly account (a sandbox one reads its sample workspace).
 * The event ids name the account and the hour, so a replayed tick asks for no second sync.
 */
export async function syncInstantlyHourly({ event, step }: CronContext) {
  const accounts = await step.run("find-accounts", () =>
    serviceDb()
      .select({ workspaceId: integrationAccounts.workspaceId, accountId: integrationAccounts.id })
      .from(integrationAccounts)
      .where(and(eq(integrationAccounts.vendor, "instantly"), ne(integrationAccounts.status, "disconnected"))),
  );
  if (accounts.length === 0) return { accounts: 0 };
  const hour = new Date(event.ts ?? Date.now()).toISOString().slice(0, 13);
  await step.sendEvent(
    "fan-out",
    accounts.map((a) => ({
      name: instantlySyncRequested.name,
      data: { ...a, requestedBy: null },
      id: `instantly-sync-${a.accountId}-${hour}`,
    })),
  );
  return { accounts: accounts.length };
}

export const syncInstantlyHourlyFunction = inngest.createFunction(
  { id: "sync-instantly-hourly", name: "Sync every Instantly account (hourly)", triggers: [cron("0 * * * *")], retries: 2 },
  syncInstantlyHourly,
);
