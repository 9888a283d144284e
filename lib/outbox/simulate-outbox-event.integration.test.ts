import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { sendEmail } from "@/lib/email/send-email";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { receiveResendWebhook } from "@/lib/sending/events/receive-resend-webhook";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";
import { handleLocalResendRequest } from "./resend-endpoint";
import { simulateOutboxEvent } from "./simulate-outbox-event";
import { ZSimulateOutboxEvent } from "./simulations";
import { deliverDueWebhooks } from "./webhook-delivery";

/**
 * The Outbox page's simulations, end to end through the real parts: a campaign-like email sent
 * with the app's sendEmail (Resend SDK → the outbox over HTTP), the simulated event delivered
 * by the outbox's sender to the app's real webhook route (which verifies it with the SDK and
 * stores it), and a simulated reply fetched with the SDK's emails.receiving.get.
 */
const PREFIX = "/api/local-resend";
let outbox: ServedHandler;
let route: ServedHandler;
let f: TenancyFixture;

beforeAll(async () => {
  outbox = await serveWebHandler((request) => handleLocalResendRequest(request, new URL(request.url).pathname.slice(PREFIX.length)));
  process.env.RESEND_BASE_URL = `${outbox.url}${PREFIX}`;
  const tag = randomBytes(4).toString("hex");
  route = await serveWebHandler((request) =>
    receiveResendWebhook(request, {
      maxBytes: 128 * 1024,
      perIp: { name: `outbox-sim-${tag}`, points: 1000, durationSeconds: 60 },
      failuresPerIp: { name: `outbox-sim-failures-${tag}`, points: 1000, durationSeconds: 300 },
    }),
  );
  f = await createTenancyFixture();
});
afterAll(async () => {
  delete process.env.RESEND_BASE_URL;
  await removeTenancyFixture(f);
  await outbox.close();
  await route.close();
});

const target = () => ({ url: `${route.url}/api/webhooks/resend`, secret: env().LOCAL_RESEND_WEBHOOK_SECRET! });
const admin = () => ({ workspaceId: f.a.id, role: "admin" as const });

async function sendCampaignEmail(workspaceId = f.a.id, kind: "product" | "credential" = "product") {
  const rfc = `<${randomSuffix()}@acme.test>`;
  const earlier = `<${randomSuffix()}@acme.test>`;
  const { id } = await sendEmail({
    kind,
    from: "Sam Seller <sam@acme.test>",
    replyTo: `reply+m-${randomSuffix()}@inbound.acme.test`,
    to: `lead-${randomSuffix()}@example.test`,
    subject: "Quick question",
    html: '<p>Hi, see <a href="https://acme.test/pricing">pricing</a></p>',
    text: "Hi, see https://acme.test/pricing\n\nUnsubscribe: http://127.0.0.1:3999/unsubscribe/abc",
    headers: { "Message-ID": rfc, "In-Reply-To": earlier, References: earlier },
    tags: [
      { name: "workspace_id", value: workspaceId },
      { name: "message_id", value: "m1" },
    ],
  });
  return { id, rfc, earlier };
}

async function receipt(svixId: string) {
  const [row] = await serviceDb().execute<{ event_type: string; payload: { type: string; data: Record<string, unknown> } }>(
    sql`select event_type, payload from private.webhook_receipts where provider = 'resend' and delivery_id = ${svixId}`,
  );
  return row;
}

describe("simulating provider events from the Outbox page", () => {
  it("announces delivered, opened, clicked, a hard bounce and a complaint to the app's webhook route, which accepts each", async () => {
    const sent = await sendCampaignEmail();
    const kinds = ["delivered", "opened", "clicked", "bounced", "complained"] as const;
    const ids = [];
    for (const kind of kinds) ids.push((await simulateOutboxEvent(admin(), { messageId: sent.id, kind })).eventId);
    // Twice: the automatic email.delivered is due a second after the send.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const pass = await deliverDueWebhooks(target(), { emailIds: [sent.id] });
    expect(pass).toMatchObject({ delivered: pass.claimed, retrying: 0, failed: 0 });

    const stored = await Promise.all(ids.map(receipt));
    expect(stored.map((r) => r?.event_type)).toEqual([
      "email.delivered",
      "email.opened",
      "email.clicked",
      "email.bounced",
      "email.complained",
    ]);
    for (const r of stored) expect(r!.payload.data).toMatchObject({ email_id: sent.id, message_id: sent.rfc, tags: { message_id: "m1" } });
    expect(stored[2]!.payload.data.click).toMatchObject({ link: "https://acme.test/pricing" });
    expect(stored[3]!.payload.data.bounce).toMatchObject({ type: "Permanent", subType: "General" });
  });

  it("stores a reply threaded on the message, served by GET /emails/receiving/{id} through the SDK and announced by email.received", async () => {
    const sent = await sendCampaignEmail();
    const { eventId, receivedEmailId } = await simulateOutboxEvent(admin(), {
      messageId: sent.id,
      kind: "replied",
      replyText: "Sounds good, call me Tuesday.",
    });
    await deliverDueWebhooks(target(), { emailIds: [receivedEmailId!] });
    const announced = await receipt(eventId);
    expect(announced?.payload).toMatchObject({
      type: "email.received",
      data: { email_id: receivedEmailId, subject: "Re: Quick question" },
    });
    expect(announced?.payload.data.text).toBeUndefined(); // metadata only, as Resend's

    const resend = new Resend(env().LOCAL_RESEND_API_KEY, { baseUrl: `${outbox.url}${PREFIX}` });
    const { data, error } = await resend.emails.receiving.get(receivedEmailId!);
    expect(error).toBeNull();
    expect(data).toMatchObject({
      object: "email",
      id: receivedEmailId,
      subject: "Re: Quick question",
      to: [expect.stringMatching(/^reply\+m-/)],
    });
    expect(data!.text).toContain("Sounds good, call me Tuesday.");
    expect(data!.headers).toMatchObject({ "in-reply-to": sent.rfc, references: `${sent.earlier} ${sent.rfc}` });
    expect(data!.message_id).toBe(announced?.payload.data.message_id);

    const missing = await resend.emails.receiving.get("00000000-0000-4000-8000-000000000000");
    expect(missing.error?.name).toBe("not_found");
  });

  it("is refused to other roles, for another workspace's message and for credential mail, and sends nothing then", async () => {
    const sent = await sendCampaignEmail();
    const credential = await sendEmail({
      kind: "credential",
      to: f.a.members.viewer.email,
      subject: "Your sign-in code",
      text: "123456",
      tags: [{ name: "workspace_id", value: f.a.id }],
    });
    const count = async () =>
      (
        await serviceDb().execute<{ n: number }>(
          sql`select count(*)::int as n from local.outbox_webhook_deliveries where email_id in (${sent.id}::uuid, ${credential.id}::uuid)`,
        )
      )[0]!.n;
    const before = await count();
    const refusal = (actor: { workspaceId: string; role: "admin" | "manager" | "sales_rep" }, messageId: string) =>
      simulateOutboxEvent(actor, { messageId, kind: "bounced" }).then(
        () => "accepted",
        (error: unknown) => (error instanceof AppError ? error.code : "crash"),
      );
    expect(await refusal({ workspaceId: f.a.id, role: "manager" }, sent.id)).toBe("forbidden");
    expect(await refusal({ workspaceId: f.a.id, role: "sales_rep" }, sent.id)).toBe("forbidden");
    expect(await refusal({ workspaceId: f.b.id, role: "admin" }, sent.id)).toBe("not_found");
    expect(await refusal({ workspaceId: f.a.id, role: "admin" }, credential.id)).toBe("not_found");
    expect(await count()).toBe(before);
  });

  it("asks for a reply's text", () => {
    const parsed = ZSimulateOutboxEvent.safeParse({ messageId: "00000000-0000-4000-8000-000000000000", kind: "replied", replyText: "  " });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["replyText"], message: "Write the reply's text." });
  });
});
