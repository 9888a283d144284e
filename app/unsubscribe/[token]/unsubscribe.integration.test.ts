import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { campaignEnrollments, emailEvents, emailMessages, jobEvents, leadActivities, leads, suppressions } from "@/db/schema";
import { TEST_UNSUBSCRIBE_TOKEN, signUnsubscribeToken, unsubscribeKey } from "@/lib/campaigns/unsubscribe-token";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, randomSuffix, removeTenancyFixture, sqlState, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { unsubscribeLead } from "@/lib/suppressions/unsubscribe-lead";
import { applyOutboundEvent } from "@/lib/sending/events/apply-outbound-event";
import { ZOutboundEventData } from "@/lib/sending/events/resend-payload";
import { MAX_BODY_BYTES, unsubscribeResponse, type UnsubscribeLimits } from "./unsubscribe-response";

let fx: TenancyFixture;
const db = () => serviceDb();

/** Generous limits under test names, so only the rate-limit tests meet them. */
const roomy = (): UnsubscribeLimits => ({
  requests: { name: `unsub-req-${randomSuffix()}`, points: 1000, durationSeconds: 60 },
  forgeries: { name: `unsub-forged-${randomSuffix()}`, points: 1000, durationSeconds: 60 },
});

type Sent = {
  workspaceId: string;
  leadId: string;
  campaignId: string;
  enrollmentId: string;
  messageId: string;
  email: string;
  token: string;
};

/** A lead of `ws` enrolled in a running campaign whose step 1 was sent to it, and its token. */
async function sentLead(ws: { id: string }, status: "new" | "contacted" = "contacted"): Promise<Sent> {
  const email = `Lea.${randomSuffix()}@Client.example`;
  const leadId = await insertTestLead(ws, { email, status });
  const members = ws.id === fx.a.id ? fx.a.members : fx.b.members;
  const run = await createRunningTestCampaign(ws.id, members.sales_rep, members.admin, [leadId]);
  const [message] = await db()
    .insert(emailMessages)
    .values({
      workspaceId: ws.id,
      campaignId: run.campaignId,
      enrollmentId: run.enrollmentIds[0]!,
      stepId: run.stepId,
      stepPosition: 1,
      leadId,
      status: "sent",
      toEmail: email,
      subject: "Bonjour",
      textBody: "Un mot rapide.",
      providerId: randomUUID(),
      sentAt: new Date(),
    })
    .returning({ id: emailMessages.id });
  const token = signUnsubscribeToken({ workspaceId: ws.id, leadId, campaignId: run.campaignId });
  return {
    workspaceId: ws.id,
    leadId,
    campaignId: run.campaignId,
    enrollmentId: run.enrollmentIds[0]!,
    messageId: message!.id,
    email,
    token,
  };
}

let ipCounter = 0;
/** A request as a mail client or provider sends it: no cookie, its own client address. */
function request(
  token: string,
  init: { method?: string; body?: BodyInit; type?: string; ip?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "x-forwarded-for": init.ip ?? `198.51.100.${++ipCounter % 250}`, ...init.headers };
  if (init.type) headers["content-type"] = init.type;
  return new Request(`http://localhost/unsubscribe/${token}`, {
    method: init.method ?? (init.body ? "POST" : "GET"),
    headers,
    body: init.body,
  });
}
const oneClick = (token: string, ip?: string) =>
  request(token, { body: "List-Unsubscribe=One-Click", type: "application/x-www-form-urlencoded", ip });
const pageButton = (token: string, intent: "unsubscribe" | "undo") =>
  request(token, { body: `intent=${intent}`, type: "application/x-www-form-urlencoded" });

async function state(s: Sent) {
  const [lead] = await db().select({ status: leads.status }).from(leads).where(eq(leads.id, s.leadId));
  const suppressed = await db()
    .select({ value: suppressions.value, reason: suppressions.reason })
    .from(suppressions)
    .where(and(eq(suppressions.workspaceId, s.workspaceId), eq(suppressions.value, s.email.toLowerCase())));
  const [message] = await db().select({ at: emailMessages.unsubscribedAt }).from(emailMessages).where(eq(emailMessages.id, s.messageId));
  const events = await db()
    .select({ type: emailEvents.type, payload: emailEvents.payload })
    .from(emailEvents)
    .where(eq(emailEvents.messageId, s.messageId));
  const timeline = await db()
    .select({ type: leadActivities.type, payload: leadActivities.payload })
    .from(leadActivities)
    .where(eq(leadActivities.leadId, s.leadId))
    .orderBy(leadActivities.createdAt);
  const [enrollment] = await db()
    .select({ status: campaignEnrollments.status, endCause: campaignEnrollments.endCause })
    .from(campaignEnrollments)
    .where(eq(campaignEnrollments.id, s.enrollmentId));
  const ended = await db()
    .select({ id: jobEvents.id })
    .from(jobEvents)
    .where(eq(jobEvents.idempotencyKey, `enrollment-ended-${s.enrollmentId}`));
  return { status: lead!.status, suppressed, unsubscribedAt: message!.at, events, timeline, enrollment, endedEvents: ended.length };
}

const untouched = (s: Sent) => ({
  status: "contacted",
  suppressed: [],
  unsubscribedAt: null,
  events: [],
  timeline: [],
  enrollment: { status: "active", endCause: null },
  endedEvents: 0,
});

beforeAll(async () => {
  fx = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("the unsubscribe link", () => {
  it("GET shows who and offers the button, and changes nothing (mail scanners open links)", async () => {
    const s = await sentLead(fx.a);
    for (let i = 0; i < 3; i++) {
      const response = await unsubscribeResponse(request(s.token), s.token, roomy());
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain(`Unsubscribe from ${fx.a.name}?`);
      expect(html).toContain(s.email.toLowerCase());
      expect(html).toContain(`<form method="post" action="/unsubscribe/${s.token}">`);
      expect(html).not.toContain("<script");
    }
    expect(await state(s)).toEqual(untouched(s));
  });

  it("the one-click POST (RFC 8058, no cookies) unsubscribes at once: suppression, lead, timeline, message and event, enrollment ended", async () => {
    const s = await sentLead(fx.a);
    const response = await unsubscribeResponse(oneClick(s.token), s.token, roomy());
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are unsubscribed");

    const after = await state(s);
    expect(after.status).toBe("unsubscribed");
    expect(after.suppressed).toEqual([{ value: s.email.toLowerCase(), reason: "unsubscribe" }]);
    expect(after.unsubscribedAt).toBeInstanceOf(Date);
    expect(after.events).toEqual([{ type: "unsubscribed", payload: { via: "one_click" } }]);
    expect(after.timeline).toEqual([
      { type: "unsubscribed", payload: { campaignId: s.campaignId, messageId: s.messageId, via: "one_click", statusBefore: "contacted" } },
    ]);
    expect(after.enrollment).toEqual({ status: "stopped", endCause: "unsubscribed" });
    // The sleeping run is cancelled by its enrollment.ended event.
    expect(after.endedEvents).toBe(1);
  });

  it("a replayed POST changes nothing more (one event, one timeline entry, one suppression)", async () => {
    const s = await sentLead(fx.a);
    await unsubscribeResponse(oneClick(s.token), s.token, roomy());
    const once = await state(s);
    for (let i = 0; i < 3; i++) {
      expect((await unsubscribeResponse(oneClick(s.token), s.token, roomy())).status).toBe(200);
      expect((await unsubscribeResponse(pageButton(s.token, "unsubscribe"), s.token, roomy())).status).toBe(200);
    }
    expect(await state(s)).toEqual(once);
  });

  it("the page's button works as a plain form post (urlencoded or multipart), and then the page offers Undo", async () => {
    const s = await sentLead(fx.a);
    const form = new FormData();
    form.set("intent", "unsubscribe");
    const response = await unsubscribeResponse(request(s.token, { body: form }), s.token, roomy());
    expect(response.status).toBe(200);
    const after = await state(s);
    expect(after.status).toBe("unsubscribed");
    expect(after.timeline[0]!.payload).toMatchObject({ via: "link" });

    const page = await (await unsubscribeResponse(request(s.token), s.token, roomy())).text();
    expect(page).toContain("You are unsubscribed");
    expect(page).toContain('<input type="hidden" name="intent" value="undo">');
  });

  it("Undo lifts the unsubscribe: suppression gone, the lead's status back, the email's mark cleared; ended sequences stay ended", async () => {
    const s = await sentLead(fx.a);
    await unsubscribeResponse(oneClick(s.token), s.token, roomy());
    const response = await unsubscribeResponse(pageButton(s.token, "undo"), s.token, roomy());
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are subscribed again");
    const after = await state(s);
    expect(after.status).toBe("contacted");
    expect(after.suppressed).toEqual([]);
    expect(after.unsubscribedAt).toBeNull();
    expect(after.timeline.map((t) => t.type)).toEqual(["unsubscribed", "status_changed"]);
    expect(after.timeline[1]!.payload).toEqual({ before: "unsubscribed", after: "contacted", via: "unsubscribe_undo" });
    expect(after.enrollment).toEqual({ status: "stopped", endCause: "unsubscribed" });
  });

  it("Undo works only within the hour after the link's unsubscribe: later, the page offers none and a posted Undo changes nothing", async () => {
    const s = await sentLead(fx.a);
    await unsubscribeResponse(oneClick(s.token), s.token, roomy());
    // The unsubscribe was made 61 minutes ago; since then, the token may have been read by others
    // (a reply quotes the email, link and all).
    await db()
      .update(leadActivities)
      .set({ createdAt: sql`now() - interval '61 minutes'` })
      .where(and(eq(leadActivities.leadId, s.leadId), eq(leadActivities.type, "unsubscribed")));
    const page = await (await unsubscribeResponse(request(s.token), s.token, roomy())).text();
    expect(page).toContain("You are unsubscribed");
    expect(page).not.toContain('value="undo"');

    const before = await state(s);
    const refused = await unsubscribeResponse(pageButton(s.token, "undo"), s.token, roomy());
    expect(refused.status).toBe(200);
    const text = await refused.text();
    expect(text).toContain("You stay unsubscribed");
    expect(text).toContain("only within an hour of clicking its link");
    expect(await state(s)).toEqual(before);
    expect(before.status).toBe("unsubscribed");
    expect(before.suppressed).toEqual([{ value: s.email.toLowerCase(), reason: "unsubscribe" }]);
  });

  it("Undo never lifts an unsubscribe asked for by email, even when the link is clicked after it", async () => {
    const s = await sentLead(fx.a);
    await unsubscribeLead(db(), { workspaceId: s.workspaceId, leadId: s.leadId, campaignId: s.campaignId }, "reply");
    const clicked = await (await unsubscribeResponse(oneClick(s.token), s.token, roomy())).text();
    expect(clicked).toContain("You are unsubscribed");
    expect(clicked).not.toContain('value="undo"');
    const before = await state(s);
    expect(await (await unsubscribeResponse(pageButton(s.token, "undo"), s.token, roomy())).text()).toContain("You stay unsubscribed");
    expect(await state(s)).toEqual(before);
    expect(before.status).toBe("unsubscribed");
  });

  it("Undo never lifts an unsubscribe on the strength of a timeline entry a member wrote themselves (through the Data API)", async () => {
    // An entry forged to read as the link's unsubscribe (dated far ahead, to stay within the
    // hour) must not let the link's holder lift an unsubscribe asked for by email, which only an
    // admin may lift. A member's token can no longer write one (migration 0105); one written
    // before that, kept here through the service connection, is still not trusted by Undo.
    const s = await sentLead(fx.a);
    await unsubscribeLead(db(), { workspaceId: s.workspaceId, leadId: s.leadId, campaignId: s.campaignId }, "reply");
    const manager = fx.a.members.manager;
    const forged = {
      workspaceId: s.workspaceId,
      leadId: s.leadId,
      actorId: manager.id,
      type: "unsubscribed" as const,
      payload: { via: "link", statusBefore: "interested" },
      createdAt: new Date("2100-01-01T00:00:00Z"),
    };
    const byToken = await asUser(manager, (tx) => tx.insert(leadActivities).values(forged)).then(
      () => "inserted",
      (error: unknown) => sqlState(error),
    );
    expect(byToken).toBe("42501");
    await db().insert(leadActivities).values(forged);
    const before = await state(s);
    const page = await (await unsubscribeResponse(pageButton(s.token, "undo"), s.token, roomy())).text();
    expect(page).toContain("You stay unsubscribed");
    expect(page).not.toContain('value="undo"');
    expect(await state(s)).toEqual(before);
    expect(before.status).toBe("unsubscribed");
  });

  it.each([
    ["a hard bounce", "email.bounced", { bounce: { type: "Permanent", subType: "General" } }, "bounce", "bounced"],
    ["a spam complaint", "email.complained", {}, "complaint", "unsubscribed"],
  ] as const)(
    "Undo lifts nothing once %s arrived after the unsubscribe: the address stays suppressed",
    async (_, type, extra, reason, status) => {
      const s = await sentLead(fx.a);
      await unsubscribeResponse(oneClick(s.token), s.token, roomy());
      const [message] = await db()
        .select({ providerId: emailMessages.providerId })
        .from(emailMessages)
        .where(eq(emailMessages.id, s.messageId));
      await db().transaction((tx) =>
        applyOutboundEvent(tx, {
          type,
          data: ZOutboundEventData.parse({ email_id: message!.providerId, tags: { message_id: s.messageId }, ...extra }),
          raw: {},
          occurredAt: new Date(),
          deliveryId: randomUUID(),
        }),
      );
      const page = await (await unsubscribeResponse(pageButton(s.token, "undo"), s.token, roomy())).text();
      expect(page).toContain("You stay unsubscribed");
      const after = await state(s);
      expect(after.suppressed).toEqual([{ value: s.email.toLowerCase(), reason }]);
      expect(after.status).toBe(status);
    },
  );

  it("Undo leaves an admin's, a bounce's or a complaint's suppression of the address in place", async () => {
    const s = await sentLead(fx.a);
    await db()
      .insert(suppressions)
      .values({ workspaceId: s.workspaceId, kind: "email", value: s.email.toLowerCase(), reason: "complaint" });
    await unsubscribeResponse(oneClick(s.token), s.token, roomy());
    await unsubscribeResponse(pageButton(s.token, "undo"), s.token, roomy());
    expect((await state(s)).suppressed).toEqual([{ value: s.email.toLowerCase(), reason: "complaint" }]);
  });

  it("forged, altered, truncated, foreign-key and the editor's test tokens get a friendly page and change nothing, by GET or POST", async () => {
    const s = await sentLead(fx.a);
    const [version, payload, signature] = s.token.split(".") as [string, string, string];
    const flipped = signature.startsWith("A") ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    const forged = [
      `${version}.${payload}.${flipped}`,
      s.token.slice(0, -3),
      `${s.token}x`,
      signUnsubscribeToken(
        { workspaceId: s.workspaceId, leadId: s.leadId, campaignId: s.campaignId },
        unsubscribeKey(randomBytes(32).toString("base64")),
      ),
      "u1.AAAA.BBBB",
      "%E0%A4%A",
      "x".repeat(5000),
    ];
    for (const token of forged) {
      for (const req of [request(token), oneClick(token), pageButton(token, "unsubscribe")]) {
        const response = await unsubscribeResponse(req, token, roomy());
        expect(response.status).toBe(404);
        expect(await response.text()).toContain("This unsubscribe link does not work");
      }
    }
    const test = await unsubscribeResponse(oneClick(TEST_UNSUBSCRIBE_TOKEN), TEST_UNSUBSCRIBE_TOKEN, roomy());
    expect(test.status).toBe(200);
    expect(await test.text()).toContain("This is a test email");
    expect(await state(s)).toEqual(untouched(s));
  });

  it("a genuine token naming another workspace's lead finds nothing and changes nothing in either workspace", async () => {
    const a = await sentLead(fx.a);
    const b = await sentLead(fx.b);
    // Signed with the real key, as a bug that mixed ids up would: the lead is looked up in the token's workspace only.
    const crossed = signUnsubscribeToken({ workspaceId: a.workspaceId, leadId: b.leadId, campaignId: b.campaignId });
    for (const req of [request(crossed), oneClick(crossed), pageButton(crossed, "undo")]) {
      const response = await unsubscribeResponse(req, crossed, roomy());
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("Nothing to unsubscribe");
    }
    expect(await state(a)).toEqual(untouched(a));
    expect(await state(b)).toEqual(untouched(b));
  });

  it("refuses an oversized or unknown body without changing anything", async () => {
    const s = await sentLead(fx.a);
    const big = `List-Unsubscribe=One-Click&pad=${"x".repeat(MAX_BODY_BYTES)}`;
    expect(
      (await unsubscribeResponse(request(s.token, { body: big, type: "application/x-www-form-urlencoded" }), s.token, roomy())).status,
    ).toBe(413);
    // Streamed with no declared length: cut off while reading.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("List-Unsubscribe=One-Click&".repeat(50)));
        controller.close();
      },
    });
    const streamed = new Request(`http://localhost/unsubscribe/${s.token}`, {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect((await unsubscribeResponse(streamed, s.token, roomy())).status).toBe(413);
    for (const body of ["", "List-Unsubscribe=one-click", "intent=delete", '{"List-Unsubscribe":"One-Click"}']) {
      const response = await unsubscribeResponse(
        request(s.token, { method: "POST", body, type: "application/x-www-form-urlencoded" }),
        s.token,
        roomy(),
      );
      expect(response.status).toBe(400);
    }
    expect(await state(s)).toEqual(untouched(s));
  });

  it("accepts the one-click body as providers send it: multipart, or with no content type", async () => {
    const multipart = await sentLead(fx.a);
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    await unsubscribeResponse(request(multipart.token, { body: form }), multipart.token, roomy());
    expect((await state(multipart)).status).toBe("unsubscribed");
    const untyped = await sentLead(fx.a);
    await unsubscribeResponse(request(untyped.token, { method: "POST", body: "List-Unsubscribe=One-Click\r\n" }), untyped.token, roomy());
    expect((await state(untyped)).status).toBe("unsubscribed");
  });

  it("answers with its own strict headers: no referrer, no caching, no scripts, no framing", async () => {
    const s = await sentLead(fx.a);
    const response = await unsubscribeResponse(request(s.token), s.token, roomy());
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("escapes what it shows (a workspace name is typed by people)", async () => {
    const s = await sentLead(fx.b);
    await db().execute(sql`update public.workspaces set name = ${"Globex <img src=x onerror=alert(1)>"} where id = ${fx.b.id}`);
    try {
      const html = await (await unsubscribeResponse(request(s.token), s.token, roomy())).text();
      expect(html).toContain("Globex &lt;img src=x onerror=alert(1)&gt;");
      expect(html).not.toContain("<img");
    } finally {
      await db().execute(sql`update public.workspaces set name = 'Globex' where id = ${fx.b.id}`);
    }
  });
});

describe("the unsubscribe link's rate limits", () => {
  it("an IP that sends forged tokens has its forgeries refused for the window, with Retry-After, and its genuine one-clicks taken", async () => {
    const s = await sentLead(fx.a);
    const limits: UnsubscribeLimits = {
      ...roomy(),
      forgeries: { name: `unsub-forged-${randomSuffix()}`, points: 3, durationSeconds: 600 },
    };
    // A mailbox provider's shared address: someone's forged links and a recipient's real one-click come from it alike.
    const ip = "203.0.113.77";
    for (let i = 0; i < 3; i++)
      expect((await unsubscribeResponse(oneClick("u1.forged.token", ip), "u1.forged.token", limits)).status).toBe(404);
    const refused = await unsubscribeResponse(oneClick("u1.forged.again", ip), "u1.forged.again", limits);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Too many requests");
    expect(await state(s)).toEqual(untouched(s));
    const genuine = await unsubscribeResponse(oneClick(s.token, ip), s.token, limits);
    expect(genuine.status).toBe(200);
    expect(await state(s)).not.toEqual(untouched(s));
  });

  it("bounds every request per IP, genuine ones included", async () => {
    const s = await sentLead(fx.a);
    const limits: UnsubscribeLimits = { ...roomy(), requests: { name: `unsub-req-${randomSuffix()}`, points: 2, durationSeconds: 600 } };
    const ip = "203.0.113.90";
    expect((await unsubscribeResponse(request(s.token, { ip }), s.token, limits)).status).toBe(200);
    expect((await unsubscribeResponse(request(s.token, { ip }), s.token, limits)).status).toBe(200);
    expect((await unsubscribeResponse(oneClick(s.token, ip), s.token, limits)).status).toBe(429);
    expect(await state(s)).toEqual(untouched(s));
  });
});
