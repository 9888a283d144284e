import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { jobEvents, notifications, workspaceMembers } from "@/db/schema";
import { emailNotificationsFunction } from "@/inngest/functions/notifications/email-notifications";
import { runReaching, startTestExecutor, productFunctions } from "@/lib/jobs/testing/harness";
import {
  asUser,
  createTenancyFixture,
  createTestUser,
  outcome,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TestUser,
} from "@/tests/fixtures/tenancy";
import { serveLocalOutbox } from "@/tests/fixtures/local-outbox";
import type { ServedHandler } from "@/tests/serve-web-handler";
import { emailNotification } from "./email-notification";
import { loadInbox, markNotificationsRead } from "./inbox";
import { getNotificationPreferences, setNotificationEmails } from "./notification-settings";
import { notify, type NotifyInput } from "./notify";

let server: ServedHandler;
let f: TenancyFixture;

beforeAll(async () => {
  // Before the first env() call, which caches the environment.
  server = await serveLocalOutbox();
  f = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(f);
  await server.close();
});

const me = (workspaceId: string, user: TestUser) => ({ workspaceId, userId: user.id });

function submitted(
  workspaceId: string,
  actor: TestUser,
  to: NotifyInput["to"],
  title = `Campaign submitted ${Math.random()}`,
): NotifyInput {
  return {
    workspaceId,
    actorId: actor.id,
    to,
    kind: "campaign_submitted",
    title,
    body: "Q4 outreach is waiting for review.",
    link: "/approvals",
  };
}

const rowsOf = (ids: string[]) => serviceDb().select().from(notifications).where(inArray(notifications.id, ids));
const emailsTo = (address: string, subject: string) =>
  serviceDb().execute<{ subject: string; text_body: string }>(
    sql`select subject, text_body from local.outbox_messages where ${address} = any(to_addresses) and subject = ${subject}`,
  );

describe("notify", () => {
  it("tells the workspace's members of a role, never the actor, never another workspace", async () => {
    const rep = f.a.members.sales_rep;
    const { notificationIds } = await asUser(rep, (tx) => notify(tx, submitted(f.a.id, rep, { roles: ["admin", "sales_rep"] })));
    const rows = await rowsOf(notificationIds);
    expect(rows.map((r) => r.userId)).toEqual([f.a.members.admin.id]);
    expect(rows[0]).toMatchObject({ workspaceId: f.a.id, actorId: rep.id, kind: "campaign_submitted", readAt: null });
  });

  it("drops a recipient of another workspace named by id", async () => {
    const admin = f.a.members.admin;
    const { notificationIds } = await asUser(admin, (tx) =>
      notify(tx, submitted(f.a.id, admin, { userIds: [f.b.members.admin.id, f.a.members.manager.id, f.outsider.id] })),
    );
    expect((await rowsOf(notificationIds)).map((r) => r.userId)).toEqual([f.a.members.manager.id]);
    const inB = await asUser(f.b.members.admin, (tx) => loadInbox(tx, me(f.b.id, f.b.members.admin)));
    expect(inB.items).toEqual([]);
  });

  it("cuts a long title to fit instead of failing the caller's change", async () => {
    const admin = f.a.members.admin;
    const { notificationIds } = await asUser(admin, (tx) =>
      notify(tx, submitted(f.a.id, admin, { userIds: [f.a.members.analyst.id] }, `Submitted: ${"x".repeat(300)}`)),
    );
    const [row] = await rowsOf(notificationIds);
    expect(row?.title).toHaveLength(200);
    expect(row?.title.endsWith("…")).toBe(true);
  });

  it("asks for the emails once the transaction commits, and not at all after a rollback", async () => {
    const admin = f.a.members.admin;
    const { notificationIds } = await asUser(admin, (tx) => notify(tx, submitted(f.a.id, admin, { userIds: [f.a.members.viewer.id] })));
    const [event] = await serviceDb()
      .select()
      .from(jobEvents)
      .where(eq(jobEvents.idempotencyKey, `notification-email-${notificationIds[0]}`));
    expect(event).toMatchObject({
      name: "notifications/email.requested",
      workspaceId: f.a.id,
      data: { workspaceId: f.a.id, notificationIds },
    });

    let rolledBack: string[] = [];
    await expect(
      asUser(admin, async (tx) => {
        rolledBack = (await notify(tx, submitted(f.a.id, admin, { userIds: [f.a.members.viewer.id] }))).notificationIds;
        throw new Error("the caller's change failed");
      }),
    ).rejects.toThrow("the caller's change failed");
    expect(rolledBack).toHaveLength(1);
    expect(await rowsOf(rolledBack)).toEqual([]);
    expect(
      await serviceDb()
        .select()
        .from(jobEvents)
        .where(eq(jobEvents.idempotencyKey, `notification-email-${rolledBack[0]}`)),
    ).toEqual([]);
  });
});

describe("the bell", () => {
  it("shows a member only their own notifications, and marks only their own read", async () => {
    const rep = f.a.members.sales_rep;
    const manager = f.a.members.manager;
    const title = `For the manager only ${Math.random()}`;
    const { notificationIds } = await asUser(rep, (tx) => notify(tx, submitted(f.a.id, rep, { userIds: [manager.id] }, title)));

    const theirs = await asUser(manager, (tx) => loadInbox(tx, me(f.a.id, manager)));
    expect(theirs.items.map((i) => i.title)).toContain(title);
    expect(theirs.items.find((i) => i.title === title)).toMatchObject({ read: false, link: "/approvals", actorName: rep.fullName });

    // Another member: neither the service nor a raw read sees it, nor can they mark it read.
    const analyst = f.a.members.analyst;
    const others = await asUser(analyst, (tx) => loadInbox(tx, me(f.a.id, analyst)));
    expect(others.items.map((i) => i.title)).not.toContain(title);
    expect(await asUser(analyst, (tx) => tx.select().from(notifications).where(inArray(notifications.id, notificationIds)))).toEqual([]);
    await expect(asUser(analyst, (tx) => markNotificationsRead(tx, me(f.a.id, analyst), notificationIds))).rejects.toMatchObject({
      code: "not_found",
    });
    // Asking as the manager's id does not help: RLS reads auth.uid(), not the argument.
    await expect(asUser(analyst, (tx) => markNotificationsRead(tx, me(f.a.id, manager), notificationIds))).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await rowsOf(notificationIds))[0]?.readAt).toBeNull();

    expect(await asUser(manager, (tx) => markNotificationsRead(tx, me(f.a.id, manager), notificationIds))).toEqual({ marked: 1 });
    const after = await asUser(manager, (tx) => loadInbox(tx, me(f.a.id, manager)));
    expect(after.items.find((i) => i.title === title)?.read).toBe(true);
    expect(after.unread).toBe(theirs.unread - 1);
  });

  it("marks all read, in the current workspace only", async () => {
    const viewer = f.a.members.viewer;
    await asUser(f.a.members.admin, (tx) => notify(tx, submitted(f.a.id, f.a.members.admin, { userIds: [viewer.id] })));
    expect((await asUser(viewer, (tx) => loadInbox(tx, me(f.a.id, viewer)))).unread).toBeGreaterThan(0);
    await asUser(viewer, (tx) => markNotificationsRead(tx, me(f.a.id, viewer), "all"));
    expect((await asUser(viewer, (tx) => loadInbox(tx, me(f.a.id, viewer)))).unread).toBe(0);
  });
});

describe("the email copy", () => {
  it("emails the recipient through the email service and records when", async () => {
    const admin = f.a.members.admin;
    const analyst = f.a.members.analyst;
    const input = submitted(f.a.id, admin, { userIds: [analyst.id] });
    const { notificationIds } = await asUser(admin, (tx) => notify(tx, input));
    const outcome = await emailNotification(serviceDb(), { workspaceId: f.a.id, notificationId: notificationIds[0]! });
    expect(outcome).toEqual({ notificationId: notificationIds[0], emailed: true });
    const emails = await emailsTo(analyst.email, input.title);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.text_body).toContain("Q4 outreach is waiting for review.");
    // The link opens in this workspace, whichever of theirs the person was last working in.
    expect(emails[0]?.text_body).toContain(`/approvals?workspace=${f.a.id}`);
    expect((await rowsOf(notificationIds))[0]?.emailedAt).toBeInstanceOf(Date);
  });

  it("sends no email to a member who turned them off, in that workspace only", async () => {
    const manager = f.a.members.manager;
    expect(await asUser(manager, (tx) => getNotificationPreferences(tx, me(f.a.id, manager)))).toEqual({ emailEnabled: true });
    await asUser(manager, (tx) => setNotificationEmails(tx, me(f.a.id, manager), false));
    expect(await asUser(manager, (tx) => getNotificationPreferences(tx, me(f.a.id, manager)))).toEqual({ emailEnabled: false });

    const input = submitted(f.a.id, f.a.members.admin, { userIds: [manager.id] });
    const { notificationIds } = await asUser(f.a.members.admin, (tx) => notify(tx, input));
    const outcome = await emailNotification(serviceDb(), { workspaceId: f.a.id, notificationId: notificationIds[0]! });
    expect(outcome).toMatchObject({ emailed: false, skipped: "The recipient turned notification emails off." });
    expect(await emailsTo(manager.email, input.title)).toHaveLength(0);
    expect((await rowsOf(notificationIds))[0]?.emailedAt).toBeNull();
    await asUser(manager, (tx) => setNotificationEmails(tx, me(f.a.id, manager), true));
  });

  it("sends no email to someone removed from the workspace since the notification", async () => {
    // A job retried or replayed after the removal must not mail them what happens in it.
    const leaver = await createTestUser(serviceDb(), { email: `leaver-${randomSuffix()}@example.test`, fullName: "Léa Partie" });
    await serviceDb().insert(workspaceMembers).values({ workspaceId: f.a.id, userId: leaver.id, role: "sales_rep" });
    const input = submitted(f.a.id, f.a.members.admin, { userIds: [leaver.id] });
    const { notificationIds } = await asUser(f.a.members.admin, (tx) => notify(tx, input));
    expect(notificationIds).toHaveLength(1);
    await serviceDb()
      .delete(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, f.a.id), eq(workspaceMembers.userId, leaver.id)));
    const outcome = await emailNotification(serviceDb(), { workspaceId: f.a.id, notificationId: notificationIds[0]! });
    expect(outcome).toMatchObject({ emailed: false, skipped: "The recipient is no longer a member of the workspace." });
    expect(await emailsTo(leaver.email, input.title)).toHaveLength(0);
  });

  it("lets no member's own token put a notification in a colleague's bell, and the server's function only as themselves, to members", async () => {
    // What the Data API would run with a viewer's JWT: a fake "waiting for your approval" for every admin.
    const viewer = f.a.members.viewer;
    const planted = asUser(viewer, (tx) =>
      tx.execute(sql`insert into public.notifications (workspace_id, user_id, actor_id, kind, title, link)
        values (${f.a.id}, ${f.a.members.admin.id}, ${viewer.id}, 'campaign_submitted', 'Q3 is waiting for your approval', '/settings/integrations')`),
    );
    expect(await outcome(() => planted)).toBe("denied");
    const row = (actorId: string, userId: string, workspaceId = f.a.id) =>
      JSON.stringify([
        {
          id: randomUUID(),
          workspace_id: workspaceId,
          user_id: userId,
          actor_id: actorId,
          kind: "campaign_submitted",
          title: "t",
          body: null,
          link: "/approvals",
          subject_id: null,
        },
      ]);
    const viaFunction = (who: TestUser, rows: string) =>
      asUser(who, (tx) => tx.execute(sql`select private.insert_notifications(${rows}::jsonb)`));
    expect(await outcome(() => viaFunction(viewer, row(f.a.members.admin.id, f.a.members.manager.id)))).toBe("denied");
    expect(await outcome(() => viaFunction(viewer, row(viewer.id, f.b.members.admin.id)))).toBe("denied");
    expect(await outcome(() => viaFunction(viewer, row(viewer.id, f.b.members.admin.id, f.b.id)))).toBe("denied");
    expect(await outcome(() => viaFunction(viewer, row(viewer.id, f.a.members.admin.id)))).not.toBe("denied");
  });

  it("a member cannot switch another member's emails off", async () => {
    const viewer = f.a.members.viewer;
    expect(await outcome(() => asUser(viewer, (tx) => setNotificationEmails(tx, me(f.a.id, f.a.members.admin), false)))).toBe("denied");
    expect(await asUser(f.a.members.admin, (tx) => getNotificationPreferences(tx, me(f.a.id, f.a.members.admin)))).toEqual({
      emailEnabled: true,
    });
  });

  it("sends one email when the job is retried, even after a send whose record was lost", async () => {
    const admin = f.a.members.admin;
    const rep = f.a.members.sales_rep;
    const input = submitted(f.a.id, admin, { userIds: [rep.id] });
    const { notificationIds } = await asUser(admin, (tx) => notify(tx, input));
    const event = { name: "notifications/email.requested", data: { workspaceId: f.a.id, notificationIds } };

    const first = await new InngestTestEngine({ function: emailNotificationsFunction, events: [event] }).execute();
    expect(first.result).toEqual({ emailed: 1, skipped: 0 });
    // A crash between the send and recording emailed_at: the retry sends again under the same key.
    await serviceDb().update(notifications).set({ emailedAt: null }).where(inArray(notifications.id, notificationIds));
    const retried = await new InngestTestEngine({ function: emailNotificationsFunction, events: [event] }).execute();
    expect(retried.result).toEqual({ emailed: 1, skipped: 0 });
    // And a plain repeat finds it emailed.
    const repeat = await new InngestTestEngine({ function: emailNotificationsFunction, events: [event] }).execute();
    expect(repeat.result).toEqual({ emailed: 0, skipped: 1 });

    expect(await emailsTo(rep.email, input.title)).toHaveLength(1);
  });

  it("runs from notify to the inbox of the recipient through the local executor", async () => {
    const executor = await startTestExecutor(productFunctions("email-notifications"));
    try {
      const admin = f.b.members.admin;
      const rep = f.b.members.sales_rep;
      const input = submitted(f.b.id, admin, { userIds: [rep.id] });
      const { notificationIds } = await asUser(admin, (tx) => notify(tx, input));
      const [event] = await serviceDb()
        .select({ id: jobEvents.id })
        .from(jobEvents)
        .where(and(eq(jobEvents.idempotencyKey, `notification-email-${notificationIds[0]}`)));
      const run = await runReaching(event!.id, ["completed"], 15_000);
      expect(run).toMatchObject({ workspace_id: f.b.id, function_id: "email-notifications", output: { emailed: 1, skipped: 0 } });
      expect(await emailsTo(rep.email, input.title)).toHaveLength(1);
      expect((await rowsOf(notificationIds))[0]?.emailedAt).toBeInstanceOf(Date);
    } finally {
      await executor.stop();
    }
  });
});
