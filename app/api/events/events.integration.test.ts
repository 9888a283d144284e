/**
 * Live updates end to end below the browser: changes committed in PostgreSQL (by a user under
 * RLS, or by the service role as jobs do) reach the event streams of the sessions that may see
 * them, through the triggers of migration 0052 and the process's single LISTEN connection, and
 * nobody else's: not another workspace's, not a role the rows' policies hide them from, not a
 * session that forges its subscription. A dropped stream catches up with Last-Event-ID.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withServiceTx, withUserTx } from "@/db";
import { jobEvents, jobRuns, leadImports, workspaceMembers } from "@/db/schema";
import { resolveSession, type Session } from "@/lib/auth/session";
import { changeLeadOwner } from "@/lib/leads/change-lead-owner";
import { env } from "@/lib/env";
import { LiveHub } from "@/lib/live/hub";
import { liveCursor, liveHub } from "@/lib/live/live-hub";
import { notify } from "@/lib/notifications/notify";
import { addTestMember, insertTestLead } from "@/tests/fixtures/leads";
import { createRunningCampaign, enrollLeads } from "@/tests/fixtures/running-campaign";
import { createTestCampaign } from "@/tests/fixtures/submitted-campaign";
import {
  claimsFor,
  createTenancyFixture,
  removeTenancyFixture,
  startTestSession,
  type TenancyFixture,
  type TestUser,
} from "@/tests/fixtures/tenancy";
import { eventStreamResponse } from "./event-stream-response";

// Streams opened per person per minute: above what any user here opens, except the one that tests it.
Object.assign(process.env, { RATE_LIMIT_EVENT_STREAMS_PER_MINUTE: "12" });

type SseEvent = { id?: string; event: string; data: string };

/** Reads a live response as a browser's EventSource would, keeping every event for the test to wait on. */
class StreamReader {
  readonly events: SseEvent[] = [];
  private waiters: (() => void)[] = [];
  private readonly controller = new AbortController();
  ended = false;
  readonly done: Promise<void>;

  constructor(readonly response: Response) {
    // A refusal is read by the test itself (its JSON message).
    this.done = response.status === 200 ? this.pump() : Promise.resolve();
  }

  private async pump(): Promise<void> {
    const reader = this.response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = text.indexOf("\n\n")) >= 0) {
          const block = text.slice(0, cut);
          text = text.slice(cut + 2);
          const event: SseEvent = { event: "message", data: "" };
          let hasData = false;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const [field, ...rest] = line.split(":");
            const value = rest.join(":").replace(/^ /, "");
            if (field === "id") event.id = value;
            if (field === "event") event.event = value;
            if (field === "data") {
              event.data += value;
              hasData = true;
            }
          }
          if (hasData) this.events.push(event);
          this.waiters.splice(0).forEach((wake) => wake());
        }
      }
    } catch {
      // Aborted by the test.
    } finally {
      this.ended = true;
      this.waiters.splice(0).forEach((wake) => wake());
    }
  }

  messages(): { k: string; ids: string[] | null }[] {
    return this.events.filter((e) => e.event === "message").map((e) => JSON.parse(e.data));
  }

  lastId(): string | undefined {
    return this.events.findLast((e) => e.id)?.id;
  }

  /** Resolves with the first event matching, waiting at most `ms`; rejects past it. */
  async waitFor(match: (e: SseEvent) => boolean, ms = 1_000): Promise<SseEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.ended) throw new Error(`the stream ended without the event; it had ${JSON.stringify(this.events)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  abort(): void {
    this.controller.abort();
    void this.response.body?.cancel().catch(() => {});
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }
}

const message = (kind: string, id?: string) => (e: SseEvent) => {
  if (e.event !== "message") return false;
  const m = JSON.parse(e.data) as { k: string; ids: string[] | null };
  return m.k === kind && (id === undefined || m.ids === null || m.ids.includes(id));
};

let fx: TenancyFixture;
const sessions = new Map<string, Session>();
const open: StreamReader[] = [];

async function sessionOf(user: TestUser, workspaceId?: string): Promise<Session> {
  const key = `${user.id}:${workspaceId ?? ""}`;
  let session = sessions.get(key);
  if (!session) {
    const sessionId = await startTestSession(serviceDb(), user.id);
    const claims = { ...claimsFor(user.id, user.email, sessionId), exp: Math.floor(Date.now() / 1000) + 3600 };
    session = await resolveSession(claims, workspaceId);
    sessions.set(key, session);
  }
  return session;
}

/** Opens a stream the way the route does, and waits until it is subscribed (its `ready`). */
async function connect(session: Session | null, query = "", lastEventId?: string): Promise<StreamReader> {
  const abort = new AbortController();
  const request = new Request(`http://127.0.0.1/api/events${query}`, {
    signal: abort.signal,
    headers: lastEventId ? { "last-event-id": lastEventId } : {},
  });
  const response = await eventStreamResponse(session, request);
  const reader = new StreamReader(response);
  reader.signal.addEventListener("abort", () => abort.abort());
  if (response.status === 200) {
    open.push(reader);
    await reader.waitFor((e) => e.event === "ready");
  }
  return reader;
}

/** Nothing matching arrives within `ms` (the change's own event reached another stream first, so the wait is generous). */
async function expectSilence(reader: StreamReader, match: (e: SseEvent) => boolean, ms = 400) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  expect(reader.events.filter(match)).toEqual([]);
}

beforeAll(async () => {
  fx = await createTenancyFixture();
});

afterAll(async () => {
  for (const reader of open) reader.abort();
  await liveHub().stop();
  await removeTenancyFixture(fx);
});

describe("GET /api/events", () => {
  it("answers 401 and streams nothing without a session, or with one that was signed out", async () => {
    const none = await connect(null);
    expect(none.response.status).toBe(401);
    expect(none.response.headers.get("content-type")).toContain("application/json");
    expect(await none.response.json()).toEqual({ message: expect.stringContaining("Log in again") });

    const session = await resolveSession(
      claimsFor(fx.a.members.sales_rep.id, fx.a.members.sales_rep.email, crypto.randomUUID()),
      undefined,
    );
    const signedOut = await connect(session);
    expect(signedOut.response.status).toBe(401);
  });

  it("brings a change made in one session to another session of the same workspace within a second", async () => {
    const leadId = await insertTestLead(fx.a);
    const rep = await connect(await sessionOf(fx.a.members.sales_rep));
    const viewer = await connect(await sessionOf(fx.a.members.viewer));
    const otherWorkspace = await connect(await sessionOf(fx.b.members.admin));

    const manager = await sessionOf(fx.a.members.manager);
    const started = Date.now();
    await withUserTx(manager.claims, (tx) =>
      changeLeadOwner(tx, {
        workspaceId: fx.a.id,
        actor: { userId: fx.a.members.manager.id, role: "manager" },
        leadId,
        ownerId: fx.a.members.sales_rep.id,
      }),
    );
    await rep.waitFor(message("lead", leadId), 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    await rep.waitFor(message("activity", leadId), 1_000);
    await viewer.waitFor(message("lead", leadId), 1_000);
    // Only ids and a kind travel, never the lead's fields.
    expect(rep.events.find(message("lead", leadId))!.data).toBe(JSON.stringify({ k: "lead", ids: [leadId] }));
    await expectSilence(otherWorkspace, (e) => e.event === "message");
  });

  it("holds off a client that opens streams in a loop: 429 with Retry-After past the limit per person, and nothing streamed", async () => {
    const looping = await sessionOf(await addTestMember(fx.a, "viewer", "Loïc Boucle"));
    for (let i = 0; i < 12; i++) (await connect(looping)).abort();
    const refused = await connect(looping);
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.response.json()).toEqual({ error: expect.stringMatching(/Too many live-update connections/) });
    // Someone else is not held off by it.
    expect((await connect(await sessionOf(fx.a.members.viewer))).response.status).toBe(200);
  });

  it("holds off a person holding too many streams open at once, within the per-minute limit: 429, until one of theirs closes", async () => {
    // A stream lives until its token expires: the per-minute limit alone let one account hold thousands.
    const hub = new LiveHub({ databaseUrl: env().DATABASE_URL, maxStreamsPerUser: 3 });
    const hoarder = await sessionOf(await addTestMember(fx.a, "viewer", "Hélène Onglets"));
    const readers: StreamReader[] = [];
    const open = async (session: Session) => {
      const abort = new AbortController();
      const reader = new StreamReader(
        await eventStreamResponse(session, new Request("http://127.0.0.1/api/events", { signal: abort.signal }), hub),
      );
      reader.signal.addEventListener("abort", () => abort.abort());
      readers.push(reader);
      if (reader.response.status === 200) await reader.waitFor((e) => e.event === "ready");
      return reader;
    };
    try {
      for (let i = 0; i < 3; i++) expect((await open(hoarder)).response.status).toBe(200);
      const refused = await open(hoarder);
      expect(refused.response.status).toBe(429);
      expect(refused.response.headers.get("retry-after")).toBe("30");
      expect(await refused.response.json()).toEqual({
        error: expect.stringMatching(/^Too many live-update connections are open for you \(3\)/),
      });
      // Someone else is not held off by it; and once one of the hoarder's closes, they may open another.
      expect((await open(await sessionOf(fx.a.members.viewer))).response.status).toBe(200);
      readers[0]!.abort();
      await expect.poll(() => hub.hasRoomFor(hoarder.userId)).toBe(true);
      expect((await open(hoarder)).response.status).toBe(200);
    } finally {
      for (const reader of readers) reader.abort();
      await hub.stop();
    }
  });

  it("tells every member of the workspace that a campaign changed (created, submitted), and no other workspace", async () => {
    const viewer = await connect(await sessionOf(fx.a.members.viewer));
    const otherWorkspace = await connect(await sessionOf(fx.b.members.manager));
    const { campaignId } = await createTestCampaign(fx.a.id, fx.a.members.sales_rep, { submit: true });
    await viewer.waitFor(message("campaign", campaignId));
    await expectSilence(otherWorkspace, message("campaign"));
  });

  it("tells a campaign's page that its progress moved: a lead enrolled or one whose enrollment ends, not each step's next time", async () => {
    const campaign = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Live progress" });
    const viewer = await connect(await sessionOf(fx.a.members.viewer));
    const nth = (n: number) => (e: SseEvent) => viewer.events.indexOf(e) >= n && message("campaign", campaign.campaignId)(e);
    const [enrollment] = await enrollLeads(fx.a.id, campaign, [await insertTestLead(fx.a)]);
    await viewer.waitFor(nth(0));
    let seen = viewer.events.length;
    await serviceDb().execute(sql`update public.campaign_enrollments set next_send_at = now() + interval '1 day' where id = ${enrollment}`);
    await expectSilence(viewer, nth(seen));
    seen = viewer.events.length;
    await serviceDb()
      .execute(sql`update public.campaign_enrollments set status = 'stopped', end_cause = 'unsubscribed', next_send_at = null,
      finished_at = now() where id = ${enrollment}`);
    await viewer.waitFor(nth(seen));
  });

  it("tells the Replies inbox and the reply's campaign page of a reply stored, then read; another workspace hears nothing", async () => {
    const campaign = await createRunningCampaign(fx.a.id, fx.a.members.sales_rep, fx.a.members.admin, { name: "Live replies" });
    const leadId = await insertTestLead(fx.a);
    const rep = await connect(await sessionOf(fx.a.members.sales_rep));
    const otherWorkspace = await connect(await sessionOf(fx.b.members.admin));
    const [reply] = await serviceDb().execute<{ id: string }>(sql`
      insert into public.reply_classifications (workspace_id, source, reply_key, lead_id, campaign_id, body, received_at)
      values (${fx.a.id}, 'resend', ${`live-${leadId}`}, ${leadId}, ${campaign.campaignId}, 'Tell me more', now()) returning id`);
    await rep.waitFor(message("reply", reply!.id));
    await rep.waitFor(message("campaign", campaign.campaignId));
    const seen = rep.events.length;
    await serviceDb().execute(sql`update public.reply_classifications set state = 'classified', category = 'question', classified_at = now()
      where id = ${reply!.id}`);
    await rep.waitFor((e) => rep.events.indexOf(e) >= seen && message("reply", reply!.id)(e));
    await expectSilence(otherWorkspace, message("reply"));
  });

  it("refuses a subscription forged for a workspace the user is not a member of, and streams nothing", async () => {
    const forged = await connect(await sessionOf(fx.b.members.admin), `?workspace=${fx.a.id}`);
    expect(forged.response.status).toBe(403);
    expect(await forged.response.json()).toEqual({ message: expect.stringContaining("not a member") });
    const outsider = await connect(await sessionOf(fx.outsider), `?workspace=${fx.a.id}`);
    expect(outsider.response.status).toBe(403);
    // The workspace param a member names is honoured: B's admin asking for B gets B only.
    const own = await connect(await sessionOf(fx.b.members.admin), `?workspace=${fx.b.id}`);
    expect(own.response.status).toBe(200);
    await insertTestLead(fx.a);
    await expectSilence(own, (e) => e.event === "message");
  });

  it("tells only the roles that may see it: job runs to admins, imports to importers, a notification to its recipient", async () => {
    const admin = await connect(await sessionOf(fx.a.members.admin));
    const viewer = await connect(await sessionOf(fx.a.members.viewer));
    const analyst = await connect(await sessionOf(fx.a.members.analyst));
    const rep = await connect(await sessionOf(fx.a.members.sales_rep));
    const manager = await connect(await sessionOf(fx.a.members.manager));

    const [event] = await serviceDb()
      .insert(jobEvents)
      .values({ workspaceId: fx.a.id, name: "test/live.probe", data: {}, ts: new Date() })
      .returning({ id: jobEvents.id });
    const [run] = await serviceDb()
      .insert(jobRuns)
      .values({ workspaceId: fx.a.id, functionId: "live-probe", eventId: event!.id, nextAt: new Date() })
      .returning({ id: jobRuns.id });
    await admin.waitFor(message("job", run!.id));

    const [imp] = await serviceDb()
      .insert(leadImports)
      .values({
        workspaceId: fx.a.id,
        createdBy: fx.a.members.sales_rep.id,
        fileName: "live.csv",
        fileSize: 10,
        encoding: "utf-8",
        delimiter: ",",
        headers: ["email"],
        totalRows: 1,
        status: "mapping",
      })
      .returning({ id: leadImports.id });
    await rep.waitFor(message("import", imp!.id));
    await admin.waitFor(message("import", imp!.id));

    const repSession = await sessionOf(fx.a.members.sales_rep);
    await withServiceTx((tx) =>
      notify(tx, {
        workspaceId: fx.a.id,
        actorId: null,
        to: { userIds: [fx.a.members.sales_rep.id] },
        kind: "campaign_approved",
        title: "Live probe",
        link: "/leads",
      }),
    );
    await rep.waitFor(message("notification"));
    // The recipient's own id is not echoed back either: the bell re-reads its inbox.
    expect(rep.messages().find((m) => m.k === "notification")).toEqual({ k: "notification", ids: null });
    expect(repSession.userId).toBe(fx.a.members.sales_rep.id);

    await expectSilence(viewer, (e) => message("job")(e) || message("import")(e) || message("notification")(e));
    expect(analyst.messages().filter((m) => ["job", "import", "notification"].includes(m.k))).toEqual([]);
    expect(rep.messages().filter((m) => m.k === "job")).toEqual([]);
    expect(manager.messages().filter((m) => m.k === "job" || m.k === "notification")).toEqual([]);
  });

  it("catches a dropped connection up with what it missed, and asks for a full refresh when it cannot", async () => {
    const session = await sessionOf(fx.a.members.analyst);
    const first = await connect(session);
    const witness = await connect(await sessionOf(fx.a.members.manager));
    const resumeFrom = first.lastId()!;
    first.abort();
    await first.done;

    const leadId = await insertTestLead(fx.a);
    // The process has the change (another stream got it) while this one was away.
    await witness.waitFor(message("lead", leadId));
    expect(first.events.filter(message("lead", leadId))).toEqual([]);
    const again = await connect(session, "", resumeFrom);
    const caught = await again.waitFor(message("lead", leadId));
    // The catch-up comes before `ready`, whose id is where the next reconnect resumes.
    expect(again.events.indexOf(caught)).toBeLessThan(again.events.findIndex((e) => e.event === "ready"));

    // A clean stream asking from an id another process (or a restart) gave: refresh everything.
    const elsewhere = await connect(session, "", "0badc0de-12");
    await elsewhere.waitFor(message("resync"));
    const viaQuery = await connect(session, `?lastEventId=${encodeURIComponent(again.lastId()!)}`);
    expect(viaQuery.messages()).toEqual([]);
  });

  it("brings a page the change made between its render and its first connection (the render's cursor)", async () => {
    const session = await sessionOf(fx.a.members.viewer);
    const witness = await connect(await sessionOf(fx.a.members.manager));
    // The page is rendered (the cursor read), then a lead is added before its browser connects.
    const renderedAt = await liveCursor();
    expect(renderedAt).toMatch(/^[0-9a-f]{8}-\d+$/);
    const leadId = await insertTestLead(fx.a);
    await witness.waitFor(message("lead", leadId));

    const late = await connect(session, "", renderedAt!);
    expect(late.events.filter(message("lead", leadId))).toHaveLength(1);
    // Without it, a fresh connection knows nothing of the change.
    const fresh = await connect(session);
    expect(fresh.events.filter(message("lead", leadId))).toEqual([]);
  });

  it("when its own connection to PostgreSQL is cut, listens again and tells every stream to refresh", async () => {
    const reader = await connect(await sessionOf(fx.a.members.viewer));
    await serviceDb().execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'lip-live-updates' and pid <> pg_backend_pid()`,
    );
    await reader.waitFor(message("resync"), 10_000);
    const leadId = await insertTestLead(fx.a);
    await reader.waitFor(message("lead", leadId), 2_000);
  });

  it("closes the streams of a session signed out, or of a member removed, at the next sweep", async () => {
    const user = fx.a.members.analyst;
    const session = await sessionOf(user);
    const reader = await connect(session);
    const bystander = await connect(await sessionOf(fx.a.members.manager));
    await serviceDb().execute(sql`delete from auth.sessions where id = ${String(session.claims.session_id)}`);
    await liveHub().runSweep();
    await reader.waitFor((e) => e.event === "reconnect");
    await reader.done;
    expect(reader.ended).toBe(true);
    expect(bystander.ended).toBe(false);
    // Reconnecting with that session is refused.
    expect((await connect(session)).response.status).toBe(401);

    // A member removed from the workspace (or given another role) is cut off too.
    const leaving = await addTestMember(fx.a, "sales_rep", "Léa Départ");
    const leavingSession = await sessionOf(leaving);
    const theirs = await connect(leavingSession);
    await serviceDb().delete(workspaceMembers).where(eq(workspaceMembers.id, leaving.memberId));
    await liveHub().runSweep();
    await theirs.waitFor((e) => e.event === "reconnect");
    await theirs.done;
    expect(bystander.ended).toBe(false);
    // Its next connection finds no workspace to follow.
    const after = await resolveSession(leavingSession.claims, fx.a.id);
    expect((await connect(after, `?workspace=${fx.a.id}`)).response.status).toBe(403);
  });
});
