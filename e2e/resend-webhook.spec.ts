import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";

/**
 * The webhook route as the running app serves it (outside the proxy, no session): public and
 * hostile, so every unsigned, forged or oversized delivery is refused in words and changes nothing.
 */
const body = () => JSON.stringify({ type: "email.bounced", created_at: new Date().toISOString(), data: { email_id: randomUUID() } });

function signed(text: string, secret: string) {
  const id = `msg_${randomUUID()}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${text}`).digest("base64");
  return { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}` };
}

test("the Resend webhook refuses unsigned, forged and oversized deliveries", async ({ request }) => {
  test.setTimeout(120_000);
  const unsigned = await request.post("/api/webhooks/resend", {
    data: body(),
    headers: { "content-type": "application/json" },
    timeout: 90_000,
  });
  expect(unsigned.status()).toBe(401);
  expect((await unsigned.json()).error).toMatch(/not signed/);

  const text = body();
  const forged = await request.post("/api/webhooks/resend", {
    data: text,
    headers: { "content-type": "application/json", ...signed(text, `whsec_${randomBytes(24).toString("base64")}`) },
  });
  expect(forged.status()).toBe(401);
  expect((await forged.json()).error).toMatch(/signature does not match/);

  const huge = JSON.stringify({ type: "email.opened", created_at: new Date().toISOString(), data: { pad: "x".repeat(200 * 1024) } });
  const oversized = await request.post("/api/webhooks/resend", { data: huge, headers: { "content-type": "application/json" } });
  expect(oversized.status()).toBe(413);
  expect((await oversized.json()).error).toMatch(/larger than 128 KiB/);
});
