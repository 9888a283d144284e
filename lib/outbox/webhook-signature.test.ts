import { randomBytes } from "node:crypto";
import { Resend } from "resend";
import { describe, expect, it } from "vitest";
import { newWebhookId, signWebhook } from "./webhook-signature";

const secret = `whsec_${randomBytes(24).toString("base64")}`;
const resend = new Resend("re_test_key");
const now = () => Math.floor(Date.now() / 1000);
const body = JSON.stringify({
  type: "email.delivered",
  created_at: "2026-11-30T08:00:00.000Z",
  data: { email_id: "e1", to: ["zoë@example.test"] },
});

const verify = (headers: ReturnType<typeof signWebhook>, payload = body, webhookSecret = secret) =>
  resend.webhooks.verify({
    payload,
    headers: { id: headers["svix-id"], timestamp: headers["svix-timestamp"], signature: headers["svix-signature"] },
    webhookSecret,
  });

describe("signWebhook", () => {
  it("signs as Svix does: the Resend SDK's webhooks.verify accepts it and returns the event", () => {
    const headers = signWebhook({ secret, id: newWebhookId(), timestamp: now(), body });
    expect(headers["svix-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verify(headers)).toEqual(JSON.parse(body));
  });

  it("is refused for another body, another id, another secret or a timestamp outside five minutes", () => {
    const id = newWebhookId();
    const headers = signWebhook({ secret, id, timestamp: now(), body });
    expect(() => verify(headers, body.replace("e1", "e2"))).toThrow();
    expect(() => verify({ ...headers, "svix-id": newWebhookId() })).toThrow();
    expect(() => verify(headers, body, `whsec_${randomBytes(24).toString("base64")}`)).toThrow();
    expect(() => verify(signWebhook({ secret, id, timestamp: now() - 6 * 60, body }))).toThrow(/too old/i);
    expect(() => verify(signWebhook({ secret, id, timestamp: now() + 6 * 60, body }))).toThrow(/too new/i);
  });

  it("makes ids in Svix's shape, unique per delivery", () => {
    const a = newWebhookId();
    expect(a).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(newWebhookId()).not.toBe(a);
  });
});
