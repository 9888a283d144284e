/**
 * Every limited surface answers "too many" after its limit (a 429 with Retry-After from routes,
 * a `rate_limited` result from actions), counted in PostgreSQL; whoever is under a limit, or
 * counted in another bucket, goes on. The limits are set low here through the same environment
 * variables an operator sets (read when this file first calls env()).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { serviceDb } from "@/db";
import { executeAction, type ActionDefinition, type ActionResult } from "@/lib/actions/execute-action";
import type { ActionAuth } from "@/lib/actions/execute-action";
import { type Session } from "@/lib/auth/session";
import { eventStreamsPerUser, type WorkspaceLimitKind } from "@/lib/rate-limit/policies";
import { RateLimitedError } from "@/lib/rate-limit/rate-limited";
import { consumeRequest, type RequestLimit } from "@/lib/rate-limit/request-limit";
import { receiveInstantlyWebhook } from "@/lib/integrations/instantly/webhooks/receive";
import { receiveResendWebhook } from "@/lib/sending/events/receive-resend-webhook";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { sessionOf } from "@/tests/fixtures/sessions";
import { uploadResponse } from "@/app/api/imports/upload-response";
import { importProgressResponse } from "@/app/api/imports/[id]/progress-response";
import { bulkOperationProgressResponse } from "@/app/api/leads/bulk-operations/[operationId]/progress-response";
import { importIssuesResponse } from "@/app/api/imports/[id]/issues.csv/issues-response";
import { exportResponse } from "@/app/api/leads/export/export-response";
import { analyticsExportResponse } from "@/app/api/analytics/export/export-response";
import { suppressionExportResponse } from "@/app/api/suppressions/export/export-response";
import { unsubscribeResponse } from "@/app/unsubscribe/[token]/unsubscribe-response";
import { estimateApolloImportAction, searchApollo, startApolloImportAction } from "@/app/(app)/imports/apollo/actions";
import {
  importPhantomBusterResultAction,
  launchPhantomBusterAgentAction,
  scheduleAgentImportAction,
} from "@/app/(app)/imports/phantombuster/actions";
import { startApolloEnrichment } from "@/app/(app)/leads/enrich-actions";
import { resumeAiEnrichment, startAiEnrichment } from "@/app/(app)/leads/ai-enrich-actions";
import { checkIntegration, connectIntegration, rotateIntegrationKey, syncInstantlyNow } from "@/app/(app)/settings/integrations/actions";
import { loadMyNotifications } from "@/app/(app)/settings/notifications/actions";
import { importSuppressions } from "@/app/(app)/settings/suppression/actions";
import {
  launchCampaignAction,
  pauseCampaignAction,
  resumeCampaignAction,
  stopCampaignAction,
} from "@/app/(app)/campaigns/lifecycle-actions";
import { replayRun, retryRun } from "@/app/(app)/jobs/actions";
import { campaigns, jobEvents, jobRuns } from "@/db/schema";
import { createApprovedTestCampaign, createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";

Object.assign(process.env, {
  RATE_LIMIT_ACTIONS_PER_MINUTE: "8",
  RATE_LIMIT_UPLOADS_PER_HOUR: "50",
  RATE_LIMIT_WORKSPACE_UPLOADS_PER_HOUR: "3",
  RATE_LIMIT_EXPORTS_PER_HOUR: "3",
  RATE_LIMIT_VENDOR_CALLS_PER_MINUTE: "3",
  RATE_LIMIT_VENDOR_RUNS_PER_HOUR: "2",
  RATE_LIMIT_CAMPAIGN_CHANGES_PER_HOUR: "2",
  RATE_LIMIT_JOB_REPLAYS_PER_HOUR: "2",
  RATE_LIMIT_UNSUBSCRIBE_PER_MINUTE: "4",
  RATE_LIMIT_WEBHOOKS_PER_MINUTE: "4",
  RATE_LIMIT_EVENT_STREAMS_PER_MINUTE: "2",
});

let fx: TenancyFixture;

beforeAll(async () => {
  fx = await createTenancyFixture();
});

afterAll(async () => {
  await serviceDb().execute(sql`delete from public.lead_imports where workspace_id in (${fx.a.id}, ${fx.b.id})`);
  await removeTenancyFixture(fx);
});

type AnyDefinition = ActionDefinition<never, unknown, ActionAuth>;
const run = (action: { definition: unknown }, session: Session | null, input: unknown, ip?: string) =>
  executeAction(action.definition as AnyDefinition, session, input, ip ? { ip } : undefined);

function expectLimited(result: ActionResult<unknown>, message: RegExp) {
  expect(result).toMatchObject({ ok: false, code: "rate_limited" });
  if (result.ok) return;
  expect(result.error).toMatch(message);
  expect(result.retryAfterSeconds).toBeGreaterThan(0);
}

/** A route's refusal: 429, a Retry-After within the window, and a sentence saying when. */
async function expect429(response: Response, windowSeconds: number, message: RegExp) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  const text = await response.text();
  expect(text).toMatch(message);
  expect(text).toMatch(/try again in \d+ (seconds|minutes)/);
}

describe("server actions", () => {
  it("refuse a person's actions past the per-minute limit with a friendly message, and no one else's", async () => {
    const analyst = await sessionOf(fx.a.members.analyst, fx.a.id);
    for (let i = 0; i < 8; i++) expect(await run(loadMyNotifications, analyst, {})).toMatchObject({ ok: true });
    const refused = await run(loadMyNotifications, analyst, {});
    expectLimited(refused, /^Too many requests — try again in \d+ seconds\.$/);
    expect(refused.ok || refused.retryAfterSeconds! <= 60).toBe(true);
    // A colleague in the same workspace, and the same action, go on.
    expect(await run(loadMyNotifications, await sessionOf(fx.a.members.viewer, fx.a.id), {})).toMatchObject({ ok: true });
  });

  it("refuse actions before sign-in past the limit per client IP, and not another IP's", async () => {
    const publicAction = { definition: { name: "probe", schema: z.object({}), auth: "public" as const, handler: async () => "done" } };
    for (let i = 0; i < 8; i++) expect(await run(publicAction, null, {}, "198.51.100.23")).toEqual({ ok: true, data: "done" });
    expectLimited(await run(publicAction, null, {}, "198.51.100.23"), /^Too many requests — try again in \d+ seconds\.$/);
    expect(await run(publicAction, null, {}, "198.51.100.24")).toEqual({ ok: true, data: "done" });
  });

  it("that reach vendors or upload declare their workspace limit", () => {
    const declared: [{ definition: { workspaceLimit?: WorkspaceLimitKind } }, WorkspaceLimitKind][] = [
      [searchApollo, "vendor-calls"],
      [estimateApolloImportAction, "vendor-calls"],
      [connectIntegration, "vendor-calls"],
      [rotateIntegrationKey, "vendor-calls"],
      [checkIntegration, "vendor-calls"],
      [startApolloImportAction, "vendor-runs"],
      [startApolloEnrichment, "vendor-runs"],
      [syncInstantlyNow, "vendor-runs"],
      [importPhantomBusterResultAction, "vendor-runs"],
      [launchPhantomBusterAgentAction, "vendor-runs"],
      [scheduleAgentImportAction, "vendor-runs"],
      [startAiEnrichment, "vendor-runs"],
      [resumeAiEnrichment, "vendor-runs"],
      [importSuppressions, "uploads"],
      [launchCampaignAction, "campaign-changes"],
      [pauseCampaignAction, "campaign-changes"],
      [resumeCampaignAction, "campaign-changes"],
      [stopCampaignAction, "campaign-changes"],
      [replayRun, "job-replays"],
      [retryRun, "job-replays"],
    ];
    for (const [action, kind] of declared) expect(action.definition.workspaceLimit).toBe(kind);
  });

  it("starting vendor runs: refused past the workspace's hourly limit, whoever asks, and not another workspace", async () => {
    const unknownAccount = { accountId: randomUUID() };
    const adminA = await sessionOf(fx.a.members.admin, fx.a.id);
    // Counted whatever the outcome (here: no such account).
    expect(await run(syncInstantlyNow, adminA, unknownAccount)).toMatchObject({ ok: false, code: "not_found" });
    expect(await run(syncInstantlyNow, adminA, unknownAccount)).toMatchObject({ ok: false, code: "not_found" });
    expectLimited(
      await run(syncInstantlyNow, adminA, unknownAccount),
      /^This workspace has started 2 imports, enrichments or syncs within the last hour, the most allowed — try again in \d+ minutes\.$/,
    );
    // The same bucket for every vendor run of the workspace, and for every member.
    const managerA = await sessionOf(fx.a.members.manager, fx.a.id);
    expectLimited(await run(launchPhantomBusterAgentAction, managerA, { agentId: "1234567890" }), /^This workspace has started/);
    const adminB = await sessionOf(fx.b.members.admin, fx.b.id);
    expect(await run(syncInstantlyNow, adminB, unknownAccount)).toMatchObject({ ok: false, code: "not_found" });
  });

  it("calling a vendor: refused past the workspace's per-minute limit, and not another workspace", async () => {
    const adminB = await sessionOf(fx.b.members.admin, fx.b.id);
    for (let i = 0; i < 3; i++)
      expect(await run(checkIntegration, adminB, { accountId: randomUUID() })).toMatchObject({ code: "not_found" });
    expectLimited(
      await run(checkIntegration, adminB, { accountId: randomUUID() }),
      /^This workspace has asked Apollo, Instantly or PhantomBuster 3 times within the last minute, the most allowed — try again in \d+ seconds\.$/,
    );
    // Refused by the role, a call is not counted against the workspace: A's admin, after three, still calls.
    const viewerA = await sessionOf(fx.a.members.viewer, fx.a.id);
    for (let i = 0; i < 3; i++)
      expect(await run(checkIntegration, viewerA, { accountId: randomUUID() })).toMatchObject({ code: "forbidden" });
    const adminA = await sessionOf(fx.a.members.admin, fx.a.id);
    expect(await run(checkIntegration, adminA, { accountId: randomUUID() })).toMatchObject({ code: "not_found" });
  });
});

/**
 * Campaign changes and job replays start vendor or sending work again; each has its workspace's
 * own hourly bucket. Their own workspaces: every action also counts against the person's 8 a
 * minute, which the tests above spend for fx's admins.
 */
describe("actions that start sending or replay runs", () => {
  let fy: TenancyFixture;
  beforeAll(async () => {
    fy = await createTenancyFixture();
  });
  afterAll(async () => {
    if (fy) await removeTenancyFixture(fy);
  });
  const statusOf = async (campaignId: string) =>
    (await serviceDb().select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)))[0]?.status;

  it("campaign launches, pauses, resumes and stops: done under the workspace's hourly limit, refused past it in words, not another workspace's", async () => {
    const admin = fy.a.members.admin;
    const leadId = await insertTestLead(fy.a, { email: `limited-${randomUUID()}@example.test` });
    const { campaignId } = await createApprovedTestCampaign(fy.a.id, fy.a.members.sales_rep, admin, {
      audience: { kind: "ids", ids: [leadId] },
    });
    const session = await sessionOf(admin, fy.a.id);
    expect(await run(launchCampaignAction, session, { campaignId })).toEqual({ ok: true, data: { campaignId, status: "running" } });
    expect(await run(pauseCampaignAction, session, { campaignId, reason: "Checking the list" })).toMatchObject({ ok: true });
    const refused = await run(resumeCampaignAction, session, { campaignId });
    expectLimited(
      refused,
      /^This workspace has launched, paused, resumed or stopped campaigns 2 times within the last hour, the most allowed — try again in \d+ minutes\.$/,
    );
    expect(refused.ok || refused.retryAfterSeconds! <= 3600).toBe(true);
    expectLimited(
      await run(stopCampaignAction, session, { campaignId }),
      /^This workspace has launched, paused, resumed or stopped campaigns/,
    );
    expect(await statusOf(campaignId)).toBe("paused");
    // Another workspace's admin pauses theirs.
    const otherLead = await insertTestLead(fy.b, { email: `other-${randomUUID()}@example.test` });
    const other = await createRunningTestCampaign(fy.b.id, fy.b.members.sales_rep, fy.b.members.admin, [otherLead]);
    expect(
      await run(pauseCampaignAction, await sessionOf(fy.b.members.admin, fy.b.id), { campaignId: other.campaignId, reason: "Why not" }),
    ).toMatchObject({ ok: true });
    expect(await statusOf(other.campaignId)).toBe("paused");
  });

  it("job replays and retries: done under the workspace's hourly limit, refused past it in words, counted apart from campaign changes", async () => {
    // Failed runs of a function no executor here serves: replayed or retried, each only waits in the
    // queue. Two of them: a run is not replayed or retried while another of its event is queued.
    const functionId = `rate-limit-test-${randomUUID()}`;
    const db = serviceDb();
    const failedRun = async () => {
      const [event] = await db
        .insert(jobEvents)
        .values({ workspaceId: fy.a.id, name: "test/rate-limited.requested", data: {}, ts: new Date(), dispatchedAt: new Date() })
        .returning({ id: jobEvents.id });
      const [failed] = await db
        .insert(jobRuns)
        .values({
          workspaceId: fy.a.id,
          functionId,
          eventId: event!.id,
          status: "failed",
          endedAt: new Date(),
          error: { name: "Error", message: "vendor down" },
        })
        .returning({ id: jobRuns.id });
      return failed!.id;
    };
    const runId = await failedRun();
    const otherRunId = await failedRun();
    // The campaign test spent this workspace's campaign changes: replays have their own bucket.
    const session = await sessionOf(fy.a.members.admin, fy.a.id);
    const replayed = await run(replayRun, session, { runId });
    expect(replayed).toMatchObject({ ok: true, data: { runId: expect.any(String) } });
    expect(await run(retryRun, session, { runId: otherRunId })).toEqual({ ok: true, data: { runId: otherRunId } });
    const refused = await run(replayRun, session, { runId });
    expectLimited(
      refused,
      /^This workspace has replayed or retried 2 runs within the last hour, the most allowed — try again in \d+ minutes\.$/,
    );
    expect(refused.ok || refused.retryAfterSeconds! <= 3600).toBe(true);
    expectLimited(await run(retryRun, session, { runId: otherRunId }), /^This workspace has replayed or retried 2 runs/);
    expect(await db.select({ id: jobRuns.id }).from(jobRuns).where(eq(jobRuns.functionId, functionId))).toHaveLength(3);
    // Another workspace's admin replays (here: no such run of theirs) without being held back.
    expect(await run(replayRun, await sessionOf(fy.b.members.admin, fy.b.id), { runId })).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("routes", () => {
  const csv = (session: Session) =>
    uploadResponse(
      session,
      new Request("http://127.0.0.1:3999/api/imports", {
        method: "POST",
        headers: { "x-file-name": "leads.csv", "content-type": "text/csv" },
        body: "Email\nsomeone@example.test\n",
      }),
    );

  it("uploads: refused past the workspace's hourly limit, whichever member uploads, and not another workspace's", async () => {
    const members = [fx.b.members.sales_rep, fx.b.members.manager, fx.b.members.admin, fx.b.members.manager];
    const sessions = await Promise.all(members.map((m) => sessionOf(m, fx.b.id)));
    for (const session of sessions.slice(0, 3)) expect((await csv(session)).status).toBe(201);
    await expect429(await csv(sessions[3]!), 3600, /This workspace has uploaded 3 files within the last hour, the most allowed/);
    expect((await csv(await sessionOf(fx.a.members.sales_rep, fx.a.id))).status).toBe(201);
  });

  it("exports of leads, the suppression list, an import's problem rows and analytics tables share the workspace's hourly limit", async () => {
    const analyst = await sessionOf(fx.b.members.analyst, fx.b.id);
    for (let i = 0; i < 3; i++) expect((await exportResponse(analyst, new URLSearchParams())).status).not.toBe(429);
    await expect429(await exportResponse(analyst, new URLSearchParams()), 3600, /This workspace has exported 3 files/);
    await expect429(await suppressionExportResponse(analyst), 3600, /This workspace has exported 3 files/);
    await expect429(
      await analyticsExportResponse(analyst, new URLSearchParams("table=funnel")),
      3600,
      /This workspace has exported 3 files/,
    );
    const rep = await sessionOf(fx.b.members.sales_rep, fx.b.id);
    await expect429(await importIssuesResponse(rep, randomUUID()), 3600, /This workspace has exported 3 files/);
    expect((await suppressionExportResponse(await sessionOf(fx.a.members.analyst, fx.a.id))).status).toBe(200);
  });

  it("progress polls count against the person's requests per minute, with their actions", async () => {
    const rep = await sessionOf(fx.a.members.sales_rep, fx.a.id);
    for (let i = 0; i < 8; i++) expect((await importProgressResponse(rep, randomUUID())).status).toBe(404);
    await expect429(await importProgressResponse(rep, randomUUID()), 60, /^\{"error":"Too many requests — try again in \d+ seconds\."\}$/);
    await expect429(await bulkOperationProgressResponse(rep, randomUUID()), 60, /Too many requests/);
    expectLimited(await run(loadMyNotifications, rep, {}), /^Too many requests/);
    expect((await bulkOperationProgressResponse(await sessionOf(fx.a.members.manager, fx.a.id), randomUUID())).status).toBe(404);
  });

  it("unsubscribe links: refused past the per-IP limit, not for another address", async () => {
    const get = (ip: string) =>
      unsubscribeResponse(new Request("http://127.0.0.1:3999/unsubscribe/test", { headers: { "x-forwarded-for": ip } }), "test");
    for (let i = 0; i < 4; i++) expect((await get("203.0.113.41")).status).toBe(200);
    const refused = await get("203.0.113.41");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toMatch(/try again/i);
    expect((await get("203.0.113.42")).status).toBe(200);
  });

  it("webhooks: Resend's and Instantly's deliveries refused past the per-IP limit, each provider counted apart", async () => {
    const post = (url: string, ip: string) =>
      new Request(url, { method: "POST", headers: { "x-forwarded-for": ip, "content-type": "application/json" }, body: "{}" });
    const resend = (ip: string) => receiveResendWebhook(post("http://127.0.0.1:3999/api/webhooks/resend", ip));
    const instantly = (ip: string) => receiveInstantlyWebhook(post(`http://127.0.0.1:3999/api/webhooks/instantly/${fx.a.id}`, ip), fx.a.id);
    for (let i = 0; i < 4; i++) expect((await resend("203.0.113.51")).status).not.toBe(429);
    await expect429(await resend("203.0.113.51"), 60, /Too many webhook deliveries from this address/);
    for (let i = 0; i < 4; i++) expect((await instantly("203.0.113.51")).status).not.toBe(429);
    await expect429(await instantly("203.0.113.51"), 60, /Too many webhook deliveries from this address/);
    expect((await resend("203.0.113.52")).status).not.toBe(429);
  });

  it("event streams: the policy for opening them counts per person", async () => {
    const limit = eventStreamsPerUser();
    expect(limit).toMatchObject({ points: 2, durationSeconds: 60 });
    const person = randomUUID();
    await consumeRequest(limit, person);
    await consumeRequest(limit, person);
    await expect(consumeRequest(limit, person)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(consumeRequest(limit, randomUUID())).resolves.toBeUndefined();
  });
});

describe("counters", () => {
  it("are shared by two app processes, each with its own connection pool", async () => {
    const limit: RequestLimit = { name: `shared-${randomUUID()}`, points: 4, durationSeconds: 60 };
    const subject = randomUUID();
    await consumeRequest(limit, subject);
    await consumeRequest(limit, subject);
    const { stdout } = await promisify(execFile)(
      "npx",
      ["tsx", "--conditions=react-server", "lib/rate-limit/testing/consume-elsewhere.ts", JSON.stringify(limit), subject, "3"],
      { env: process.env, timeout: 60_000 },
    );
    const [first, second, third] = JSON.parse(stdout.trim().split("\n").pop()!) as number[];
    expect([first, second]).toEqual([0, 0]);
    expect(third).toBeGreaterThan(0);
    // And what the other process counted holds here.
    await expect(consumeRequest(limit, subject)).rejects.toBeInstanceOf(RateLimitedError);
  });
});
