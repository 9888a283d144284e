import { eventType, Inngest, type GetStepTools, type Logger } from "inngest";
import { z } from "zod";
import { inngestDevAllowed } from "@/lib/env";
import { INNGEST_APP_ID } from "@/lib/jobs/app-id";

/**
 * The Inngest client and every event of the product, in one place. Events are named
 * `domain/entity.verb`; their zod schemas validate what `sendEvent` (lib/jobs/send-event.ts)
 * enqueues and type what handlers receive. Event data carries `workspaceId` whenever the
 * work belongs to a workspace: the executor and the Jobs page scope runs by it.
 *
 * The client reads INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY / INNGEST_DEV / INNGEST_BASE_URL
 * itself; without them the local executor runs the same functions (DESIGN.md §4). In
 * production, INNGEST_DEV cannot switch it to dev mode (which accepts unsigned calls to
 * /api/inngest) without INNGEST_ALLOW_DEV_IN_PRODUCTION: `isDev: false` keeps signature checks
 * on even if the start-up check in lib/env.ts was bypassed (e.g. `next start` run directly).
 */
export const inngest = new Inngest({ id: INNGEST_APP_ID, ...(inngestDevAllowed() ? {} : { isDev: false }) });

export const workspaceDigestRequested = eventType("workspace/digest.requested", {
  schema: z.object({
    workspaceId: z.uuid(),
    /** Who asked for it; null when the system did (a new workspace, the seed). */
    requestedBy: z.uuid().nullable(),
  }),
});

/** A bulk change of leads too large for one request (lib/leads/bulk); the operation row holds what to do. */
export const leadBulkRequested = eventType("leads/bulk.requested", {
  schema: z.object({
    workspaceId: z.uuid(),
    operationId: z.uuid(),
    /** The job acts as this person, under RLS. */
    requestedBy: z.uuid(),
    /** The rows confirmed, to size the batches. */
    total: z.number().int().min(0),
  }),
});

/** A CSV import was started (lib/imports): the lead_imports row holds the mapping, rules and progress. */
export const leadImportRequested = eventType("leads/import.requested", {
  schema: z.object({
    workspaceId: z.uuid(),
    importId: z.uuid(),
    /** Who started it: the job re-checks that they may still import. */
    requestedBy: z.uuid(),
  }),
});

/** Notifications were written (lib/notifications/notify.ts): email each one its recipient wants. */
export const notificationEmailRequested = eventType("notifications/email.requested", {
  schema: z.object({
    workspaceId: z.uuid(),
    notificationIds: z.array(z.uuid()).min(1).max(1000),
  }),
});

/** An admin launched an approved campaign: the launch job enrolls its audience in batches. */
export const campaignLaunchRequested = eventType("campaigns/launch.requested", {
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid(), requestedBy: z.uuid() }),
});

/**
 * Starts one enrollment's sequence run (inngest/functions/campaigns). `generation` is the
 * enrollment's: a run whose generation is no longer the enrollment's ends without sending.
 * The event id is `enrollment-<id>-<generation>`, so a replayed launch or resume starts no
 * second run.
 */
export const campaignEnrollmentStarted = eventType("campaigns/enrollment.started", {
  schema: z.object({
    workspaceId: z.uuid(),
    campaignId: z.uuid(),
    enrollmentId: z.uuid(),
    generation: z.number().int().min(1),
    /** The enrollment's mailbox: the sequence's concurrency key. */
    identityId: z.uuid(),
  }),
});

/** A campaign was paused (by an admin or the bounce breaker): cancels its sleeping sequence runs. */
export const campaignPaused = eventType("campaigns/campaign.paused", {
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid() }),
});

/** A paused campaign was resumed: the resume job starts a new generation of each active enrollment. */
export const campaignResumeRequested = eventType("campaigns/resume.requested", {
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid(), requestedBy: z.uuid() }),
});

/** A campaign was stopped: its enrollments are already ended in the database; cancels their runs. */
export const campaignStopped = eventType("campaigns/campaign.stopped", {
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid() }),
});

/** One enrollment ended early (reply, unsubscribe, bounce, complaint, suppression): cancels its run. */
export const campaignEnrollmentEnded = eventType("campaigns/enrollment.ended", {
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid(), enrollmentId: z.uuid() }),
});

/** A verified Resend webhook delivery was stored (webhook_receipts): process it off the request. */
export const resendWebhookReceived = eventType("email/resend-webhook.received", {
  schema: z.object({ receiptId: z.uuid() }),
});

/**
 * The demo seed launched its campaign: once the first step has gone out, its first readers
 * open, click, reply and bounce through the Dev outbox (development only).
 */
export const demoCampaignActivityRequested = eventType("demo/campaign-activity.requested", {
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid() }),
});

/**
 * Sync one workspace's Instantly account (inngest/functions/integrations/sync-instantly.ts):
 * asked by the hourly cron, or by an admin's "Sync now" (`requestedBy`).
 */
/** An Instantly webhook delivery was accepted and stored (webhook_receipts): reflect it off the request. */
export const instantlyWebhookReceived = eventType("integrations/instantly-webhook.received", {
  schema: z.object({ receiptId: z.uuid() }),
});

export const instantlySyncRequested = eventType("integrations/instantly-sync.requested", {
  schema: z.object({ workspaceId: z.uuid(), accountId: z.uuid(), requestedBy: z.uuid().nullable() }),
});

/**
 * Launch a PhantomBuster agent and import its result when the run finishes
 * (inngest/functions/integrations/launch-phantombuster-agent.ts), asked by a sales rep or above.
 */
export const phantomBusterLaunchRequested = eventType("integrations/phantombuster-launch.requested", {
  schema: z.object({
    workspaceId: z.uuid(),
    accountId: z.uuid(),
    agentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    requestedBy: z.uuid(),
  }),
});

/**
 * A run of a recurring PhantomBuster import is due (lib/imports/phantombuster/recurring): asked
 * by the 15-minute cron for each schedule it claimed, or at once when a schedule is created.
 * `slot` names the run: a second event for the same slot imports nothing more.
 */
export const phantomBusterScheduleDue = eventType("integrations/phantombuster-schedule.due", {
  schema: z.object({
    workspaceId: z.uuid(),
    accountId: z.uuid(),
    scheduleId: z.uuid(),
    slot: z.string().min(1).max(100),
  }),
});

/**
 * An import of people found with Apollo's People Search was started (lib/integrations/apollo/import):
 * the job reveals them in chunks of 10 with the workspace's Apollo account, then hands the rows to
 * the CSV import job (leads/import.requested).
 */
export const apolloImportRequested = eventType("integrations/apollo-import.requested", {
  schema: z.object({ workspaceId: z.uuid(), importId: z.uuid(), accountId: z.uuid(), requestedBy: z.uuid() }),
});

/**
 * Existing leads are to be enriched with Apollo's People Enrichment (lib/integrations/apollo/enrich-leads):
 * the run row holds the leads, the mode and the progress; the job asks Apollo in chunks of 10.
 */
export const apolloLeadEnrichmentRequested = eventType("integrations/apollo-lead-enrichment.requested", {
  schema: z.object({ workspaceId: z.uuid(), enrichmentId: z.uuid(), accountId: z.uuid(), requestedBy: z.uuid() }),
});

/**
 * Push an approved campaign to the workspace's Instantly account (inngest/functions/integrations/push-to-instantly.ts):
 * asked by an admin's launch through Instantly, or a resume of a push that had not activated.
 */
export const instantlyPushRequested = eventType("integrations/instantly-push.requested", {
  schema: z.object({
    workspaceId: z.uuid(),
    campaignId: z.uuid(),
    accountId: z.uuid(),
    requestedBy: z.uuid(),
    /** The approved content's hash at the launch: the push sends that content or nothing. */
    contentHash: z.string().min(1),
    approvalId: z.uuid().nullable(),
  }),
});

/** Mirror a pause, resume or stop of a campaign launched through Instantly on its Instantly campaign. */
export const instantlyMirrorRequested = eventType("integrations/instantly-mirror.requested", {
  schema: z.object({
    workspaceId: z.uuid(),
    campaignId: z.uuid(),
    accountId: z.uuid(),
    action: z.enum(["pause", "resume", "stop"]),
  }),
});

/**
 * An enrollment of a campaign launched through Instantly ended here (the lead unsubscribed by our
 * link, say): its lead is to be removed from Instantly, which otherwise goes on sending its steps.
 */
export const instantlyLeadRemovalRequested = eventType("integrations/instantly-lead-removal.requested", {
  schema: z.object({ workspaceId: z.uuid(), enrollmentId: z.uuid() }),
});

/**
 * A bulk delete (lib/leads/bulk) removed leads that Instantly campaigns were sending to. Once the
 * delete can no longer be undone, those it still holds deleted leave the campaigns (Instantly never
 * asks us before a step); an undo in time keeps their place. Sent once per delete (its id is the operation's).
 */
export const leadsInstantlyExitRequested = eventType("leads/instantly-exit.requested", {
  schema: z.object({ workspaceId: z.uuid(), operationId: z.uuid() }),
});

/**
 * Leads are to be enriched by the model (lib/ai/enrichment/runs): the run row holds the leads,
 * the options and the progress; the job enriches them in chunks. A resume sends a new event.
 */
export const aiLeadInsightsRequested = eventType("ai/lead-insights.requested", {
  schema: z.object({ workspaceId: z.uuid(), runId: z.uuid(), requestedBy: z.uuid() }),
});

/**
 * A lead's reply was stored (Resend inbound, Instantly's webhook or sync) and waits for the model
 * (lib/ai/replies): the reply_classifications row holds it. The event id is the row's.
 */
export const replyClassificationRequested = eventType("ai/reply-classification.requested", {
  schema: z.object({ workspaceId: z.uuid(), classificationId: z.uuid() }),
});

/**
 * Outgoing webhook deliveries are due (lib/webhooks): sent when the outbox's NOTIFY is heard, on a
 * redelivery, and found every minute by the same function's cron anyway. The job sends whatever is
 * due in every workspace; `workspaceId` says who asked (null: the outbox listener).
 */
export const webhookDeliveriesDue = eventType("webhooks/deliveries.due", {
  schema: z.object({ workspaceId: z.uuid().nullable() }),
});

/** Every event the product sends, by name. `sendEvent` refuses a name that is not here. */
export const productEvents = {
  [workspaceDigestRequested.name]: workspaceDigestRequested,
  [leadBulkRequested.name]: leadBulkRequested,
  [leadImportRequested.name]: leadImportRequested,
  [notificationEmailRequested.name]: notificationEmailRequested,
  [campaignLaunchRequested.name]: campaignLaunchRequested,
  [campaignEnrollmentStarted.name]: campaignEnrollmentStarted,
  [campaignPaused.name]: campaignPaused,
  [campaignResumeRequested.name]: campaignResumeRequested,
  [campaignStopped.name]: campaignStopped,
  [campaignEnrollmentEnded.name]: campaignEnrollmentEnded,
  [resendWebhookReceived.name]: resendWebhookReceived,
  [demoCampaignActivityRequested.name]: demoCampaignActivityRequested,
  [instantlySyncRequested.name]: instantlySyncRequested,
  [instantlyWebhookReceived.name]: instantlyWebhookReceived,
  [phantomBusterLaunchRequested.name]: phantomBusterLaunchRequested,
  [phantomBusterScheduleDue.name]: phantomBusterScheduleDue,
  [apolloImportRequested.name]: apolloImportRequested,
  [apolloLeadEnrichmentRequested.name]: apolloLeadEnrichmentRequested,
  [instantlyPushRequested.name]: instantlyPushRequested,
  [instantlyMirrorRequested.name]: instantlyMirrorRequested,
  [instantlyLeadRemovalRequested.name]: instantlyLeadRemovalRequested,
  [leadsInstantlyExitRequested.name]: leadsInstantlyExitRequested,
  [aiLeadInsightsRequested.name]: aiLeadInsightsRequested,
  [replyClassificationRequested.name]: replyClassificationRequested,
  [webhookDeliveriesDue.name]: webhookDeliveriesDue,
} as const;

export type ProductEventName = keyof typeof productEvents;
export type ProductEventData<N extends ProductEventName> = z.infer<(typeof productEvents)[N]["schema"]>;

/** An event as a handler receives it (the same shape from Inngest and the local executor). */
export type ReceivedEvent<N extends string, D> = { name: N; data: D; id: string; ts: number; v?: string };

export type StepTools = GetStepTools<typeof inngest>;

/** What a named handler receives: the subset of Inngest's context the product relies on. */
export type JobContext<E extends { name: string; data: unknown }> = {
  event: ReceivedEvent<E["name"], E["data"]>;
  events: [ReceivedEvent<E["name"], E["data"]>, ...ReceivedEvent<E["name"], E["data"]>[]];
  step: StepTools;
  runId: string;
  attempt: number;
  logger: Logger;
};

/** The context of a handler triggered by one of the product's events. */
export type EventContext<N extends ProductEventName> = JobContext<{ name: N; data: ProductEventData<N> }>;

/** The context of a cron-triggered handler. */
export type CronContext = JobContext<{ name: "inngest/scheduled.timer"; data: { cron: string } }>;
