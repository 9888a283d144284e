import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { invitations } from "@/db/schema";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";

/**
 * `npm start` with LOCAL_OUTBOX_ENABLED (a demo deployment): product mail is kept for its
 * workspace; credential mail is never sent or kept. The mode is set before this file's first
 * env() call, which caches it (dynamic imports below).
 */
(process.env as Record<string, string>).NODE_ENV = "production";
process.env.LOCAL_OUTBOX_ENABLED = "true";

const PREFIX = "/api/local-resend";
let server: ServedHandler;
let f: TenancyFixture;
const app = async () => ({
  ...(await import("@/lib/invitations/invite-to-workspace")),
  ...(await import("@/lib/email/send-email")),
  ...(await import("@/lib/email/delivery")),
  ...(await import("@/lib/outbox/resend-endpoint")),
  ...(await import("@/lib/outbox/store")),
});

beforeAll(async () => {
  const { handleLocalResendRequest } = await app();
  server = await serveWebHandler((request) => handleLocalResendRequest(request, new URL(request.url).pathname.slice(PREFIX.length)));
  process.env.RESEND_BASE_URL = `${server.url}${PREFIX}`;
  f = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(f);
  await server.close();
});

const storedTo = (address: string) => serviceDb().execute(sql`select 1 from local.outbox_messages where ${address} = any(to_addresses)`);

describe("production with the demo outbox", () => {
  it("is named `demo-outbox`", async () => {
    const { emailDelivery, canDeliver } = await app();
    expect(emailDelivery()).toBe("demo-outbox");
    expect(canDeliver("credential")).toBe(false);
    expect(canDeliver("product")).toBe(true);
  });

  it("refuses an invitation before creating it, and keeps no invitation email", async () => {
    const { inviteToWorkspace } = await app();
    const email = `invitee-${randomSuffix()}@globex.test`;
    const attempt = serviceDb().transaction((tx) =>
      inviteToWorkspace(tx, {
        workspace: { id: f.a.id, name: f.a.name },
        inviter: { id: f.a.members.admin.id, email: f.a.members.admin.email },
        email,
        role: "sales_rep",
      }),
    );
    await expect(attempt).rejects.toMatchObject({ code: "email_not_configured" });
    expect(await serviceDb().select().from(invitations).where(eq(invitations.email, email))).toEqual([]);
    expect(await storedTo(email)).toHaveLength(0);
  });

  it("keeps product mail for its own workspace only", async () => {
    const { sendEmail, listWorkspaceOutbox } = await app();
    const subject = `Campaign ${randomSuffix()}`;
    await sendEmail({
      kind: "product",
      to: f.b.members.admin.email,
      subject,
      html: `<p>${subject}</p>`,
      text: subject,
      tags: [{ name: "workspace_id", value: f.a.id }],
    });
    expect((await listWorkspaceOutbox(f.a.id)).map((m) => m.subject)).toEqual([subject]);
    expect(await listWorkspaceOutbox(f.b.id)).toEqual([]);
  });

  it("refuses credential mail at sendEmail and again at the outbox itself", async () => {
    const { sendEmail } = await app();
    const to = `target-${randomSuffix()}@example.test`;
    await expect(
      sendEmail({ kind: "credential", to, subject: "Sign in", html: "<p>x</p>", text: "x", tags: [{ name: "category", value: "auth" }] }),
    ).rejects.toMatchObject({ code: "email_not_configured" });
    for (const tags of [[{ name: "category", value: "auth" }], [{ name: "kind", value: "credential" }], undefined]) {
      const response = await fetch(`${server.url}${PREFIX}/emails`, {
        method: "POST",
        headers: { authorization: `Bearer ${process.env.LOCAL_RESEND_API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ from: "a@lip.localhost", to, subject: "Sign in", text: "token", tags }),
      });
      expect(response.status).toBe(422);
    }
    expect(await storedTo(to)).toHaveLength(0);
  });

  it("has no mail catcher", async () => {
    const { listAllOutboxMessages } = await app();
    await expect(listAllOutboxMessages()).rejects.toThrow(/development only/);
  });
});
