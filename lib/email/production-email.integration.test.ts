import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog, invitations } from "@/db/schema";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";

/**
 * `npm start` without an email provider. lib/env.ts caches its first parse and this file's
 * module graph is its own, so the mode is set before anything here reads it (dynamic imports).
 */
(process.env as Record<string, string>).NODE_ENV = "production";

const PREFIX = "/api/local-resend";
let server: ServedHandler;
let f: TenancyFixture;
const app = async () => ({
  ...(await import("@/lib/invitations/invite-to-workspace")),
  ...(await import("@/lib/email/send-email")),
  ...(await import("@/lib/email/delivery")),
  ...(await import("@/lib/outbox/resend-endpoint")),
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

describe("production without an email provider", () => {
  it("is named `none` and delivers nothing", async () => {
    const { emailDelivery, canDeliver } = await app();
    expect(emailDelivery()).toBe("none");
    expect(canDeliver("credential")).toBe(false);
    expect(canDeliver("product")).toBe(false);
  });

  it("refuses an invitation plainly, before creating anything", async () => {
    const { inviteToWorkspace } = await app();
    const email = `invitee-${randomSuffix()}@globex.test`;
    const attempt = serviceDb().transaction((tx) =>
      inviteToWorkspace(tx, {
        workspace: { id: f.a.id, name: f.a.name },
        inviter: { id: f.a.members.admin.id, email: f.a.members.admin.email },
        email,
        role: "admin",
      }),
    );
    await expect(attempt).rejects.toMatchObject({
      code: "email_not_configured",
      message: expect.stringMatching(/Email is not configured/),
    });
    expect(await serviceDb().select().from(invitations).where(eq(invitations.email, email))).toEqual([]);
    const audits = await serviceDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, f.a.id), eq(auditLog.action, "invitation.created")));
    expect(audits).toEqual([]);
  });

  it("sends no mail of any kind, and the embedded outbox does not answer", async () => {
    const { sendEmail } = await app();
    const to = `nobody-${randomSuffix()}@example.test`;
    for (const kind of ["credential", "product"] as const) {
      await expect(sendEmail({ kind, to, subject: "x", html: "<p>x</p>", text: "x" })).rejects.toMatchObject({
        code: "email_not_configured",
      });
    }
    const response = await fetch(`${server.url}${PREFIX}/emails`, {
      method: "POST",
      headers: { authorization: `Bearer ${process.env.LOCAL_RESEND_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ from: "a@lip.localhost", to, subject: "x", text: "x" }),
    });
    expect(response.status).toBe(404);
    const stored = await serviceDb().execute(sql`select 1 from local.outbox_messages where ${to} = any(to_addresses)`);
    expect(stored).toHaveLength(0);
  });
});
