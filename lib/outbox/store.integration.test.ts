import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { magicLinkEmail, recoveryEmail } from "@/lib/auth-emulator/emails";
import { sendAuthEmail } from "@/lib/auth-emulator/send-auth-email";
import { sendEmail } from "@/lib/email/send-email";
import { inviteToWorkspace } from "@/lib/invitations/invite-to-workspace";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveLocalOutbox } from "@/tests/fixtures/local-outbox";
import type { ServedHandler } from "@/tests/serve-web-handler";
import { listAllOutboxMessages, listWorkspaceOutbox, storeOutboxMessage } from "./store";

/**
 * DESIGN.md §11: a workspace reads only the product mail its own code tagged with it. Every
 * message here goes through the app's real send path (sendEmail → Resend SDK → the embedded
 * outbox over HTTP), in development mode, where all of them are caught.
 */
let server: ServedHandler;
let f: TenancyFixture;

beforeAll(async () => {
  // Before this file's first env() call, which caches it.
  server = await serveLocalOutbox();
  f = await createTenancyFixture();
});
afterAll(async () => {
  delete process.env.RESEND_BASE_URL;
  await removeTenancyFixture(f);
  await server.close();
});

const invite = (workspace: TenancyFixture["a"], email: string, role: "admin" | "sales_rep") =>
  serviceDb().transaction((tx) =>
    inviteToWorkspace(tx, {
      workspace: { id: workspace.id, name: workspace.name },
      inviter: { id: workspace.members.admin.id, email: workspace.members.admin.email },
      email,
      role,
    }),
  );

const product = (workspaceId: string, subject: string, to: string) =>
  sendEmail({
    kind: "product",
    to,
    subject,
    html: `<p>${subject}</p>`,
    text: subject,
    tags: [
      { name: "workspace_id", value: workspaceId },
      { name: "category", value: "campaign" },
    ],
  });

describe("a workspace's outbox", () => {
  it("lists only product mail tagged with the workspace, never a credential addressed to anyone", async () => {
    const { a, b } = f;
    const shared = `newhire-${randomSuffix()}@example.test`;
    const subject = (label: string) => `${label} ${randomSuffix()}`;

    // Credential mail to A's own members, to an address A invited, and B's invitation of it.
    await invite(a, b.members.admin.email, "sales_rep");
    await invite(a, shared, "sales_rep");
    await invite(b, shared, "admin");
    await sendAuthEmail(b.members.admin.email, magicLinkEmail({ link: "http://x.test/auth/confirm?token_hash=magic", code: "123456" }));
    await sendAuthEmail(a.members.sales_rep.email, recoveryEmail({ link: "http://x.test/auth/confirm?token_hash=reset", code: "654321" }));
    // A caller that tags credential mail as product and with a workspace gets it stamped as what it is.
    await sendEmail({
      kind: "credential",
      to: a.members.viewer.email,
      subject: "mislabelled",
      html: "<p>code 111111</p>",
      text: "code 111111",
      tags: [
        { name: "workspace_id", value: a.id },
        { name: "kind", value: "product" },
      ],
    });
    // Mail stored before kinds existed carries no `kind`: not shown.
    await storeOutboxMessage({
      fromAddress: "a@lip.localhost",
      toAddresses: [a.members.admin.email],
      subject: "untagged",
      html: null,
      textBody: "untagged",
      headers: {},
      tags: [{ name: "workspace_id", value: a.id }],
    });

    const campaignA = subject("Campaign A");
    const campaignB = subject("Campaign B");
    await product(a.id, campaignA, shared);
    await product(b.id, campaignB, a.members.admin.email);

    expect((await listWorkspaceOutbox(a.id)).map((m) => m.subject)).toEqual([campaignA]);
    expect((await listWorkspaceOutbox(b.id)).map((m) => m.subject)).toEqual([campaignB]);

    // Not vacuous: the credential mail was sent, and the development mail catcher has it all.
    const caught = (await listAllOutboxMessages(1000)).map((m) => m.subject);
    expect(caught).toEqual(expect.arrayContaining(["You're invited to Acme Outbound", "You're invited to Globex", "mislabelled"]));
    const kinds = await serviceDb().execute<{ kind: string }>(sql`
      select t->>'value' as kind from local.outbox_messages m, jsonb_array_elements(m.tags) t
      where m.subject = 'mislabelled' and ${a.members.viewer.email} = any(m.to_addresses) and t->>'name' = 'kind'`);
    expect(kinds.map((k) => k.kind)).toEqual(["credential"]);
  });

  it("receives every subject as one line, whatever a lead's or a workspace's name put in it", async () => {
    const to = `notify-${randomSuffix()}@example.test`;
    await sendEmail({ kind: "product", to, subject: "Ana\r\nBcc: list@attacker.example\n replied", text: "A reply." });
    const [sent] = (await listAllOutboxMessages()).filter((m) => m.toAddresses.includes(to));
    expect(sent?.subject).toBe("Ana Bcc: list@attacker.example  replied");
  });
});
