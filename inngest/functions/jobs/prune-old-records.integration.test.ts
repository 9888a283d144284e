import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { pruneNotifications } from "@/lib/notifications/prune-notifications";
import { redeliverWebhook } from "@/lib/webhooks/deliveries";
import { pruneWebhookLog } from "@/lib/webhooks/prune-webhook-log";
import { pruneOldRecordsFunction } from "./prune-old-records";

const DAY = 86_400_000;
const db = serviceDb();
let fx: TenancyFixture;

beforeAll(async () => {
  fx = await createTenancyFixture(db);
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe("prune-old-records", () => {
  it("deletes read notifications after 90 days, any after a year, and cached AI answers after 180 days; nothing younger", async () => {
    const user = fx.a.members.sales_rep.id;
    const notification = (title: string, createdDaysAgo: number, readDaysAgo: number | null) => sql`
      (${fx.a.id}, ${user}, 'lead_replied', ${title}, '/leads', ${ago(createdDaysAgo)}::timestamptz,
       ${readDaysAgo === null ? null : ago(readDaysAgo)}::timestamptz)`;
    await db.execute(sql`insert into public.notifications (workspace_id, user_id, kind, title, link, created_at, read_at) values
      ${notification("read, 100 days", 100, 99)}, ${notification("read, 80 days", 80, 79)},
      ${notification("unread, 300 days", 300, null)}, ${notification("unread, 400 days", 400, null)}`);
    const key = (n: number) => n.toString(16).padStart(64, "0");
    await db.execute(sql`insert into private.ai_result_cache (workspace_id, cache_key, feature, model, value, created_at) values
      (${fx.a.id}, ${key(1)}, 'enrichment', 'gpt-4o-mini', '{}'::jsonb, ${ago(200)}::timestamptz),
      (${fx.a.id}, ${key(2)}, 'enrichment', 'gpt-4o-mini', '{}'::jsonb, ${ago(20)}::timestamptz)`);

    const engine = new InngestTestEngine({
      function: pruneOldRecordsFunction,
      // The event's time says nothing: the cutoffs come from the server's clock.
      events: [{ name: "inngest/scheduled.timer", data: { cron: "45 3 * * *" }, ts: Date.now() + 1_000 * DAY } as EventPayload],
    });
    const { result } = (await engine.execute()) as { result: { notifications: { deleted: number }; aiResultCache: { deleted: number } } };
    expect(result.notifications.deleted).toBeGreaterThanOrEqual(2);
    expect(result.aiResultCache.deleted).toBeGreaterThanOrEqual(1);

    const titles = await db.execute<{ title: string }>(sql`
      select title from public.notifications where workspace_id = ${fx.a.id} and user_id = ${user} order by title`);
    expect(titles.map((t) => t.title)).toEqual(["read, 80 days", "unread, 300 days"]);
    const keys = await db.execute<{ cache_key: string }>(
      sql`select cache_key from private.ai_result_cache where workspace_id = ${fx.a.id}`,
    );
    expect(keys.map((k) => k.cache_key)).toEqual([key(2)]);
  });

  it("deletes in batches until nothing past the retention is left", async () => {
    const user = fx.a.members.manager.id;
    await db.execute(sql`insert into public.notifications (workspace_id, user_id, kind, title, link, created_at, read_at)
      select ${fx.a.id}, ${user}, 'lead_replied', 'old ' || g, '/leads', ${ago(120)}::timestamptz, ${ago(119)}::timestamptz
      from generate_series(1, 5) g`);
    expect(await pruneNotifications(db, { now: new Date(), batch: 2 })).toEqual({ deleted: 5 });
    const [left] = await db.execute<{ n: number }>(sql`select count(*)::int n from public.notifications where user_id = ${user}`);
    expect(left!.n).toBe(0);
  });

  describe("the outgoing webhook log", () => {
    /** An endpoint of the workspace (its secret is never used here: nothing is sent). */
    const endpoint = async (workspaceId: string) => {
      const [row] = await db.execute<{ id: string }>(sql`
        insert into public.webhook_endpoints (workspace_id, url, event_types, secret_ciphertext, secret_key_id)
        values (${workspaceId}, 'https://hooks.example.com/in', array['lead.created'], 'sealed', 'k1') returning id`);
      return row!.id;
    };
    /** An event `daysAgo` old with a delivery per endpoint in the given status, each finished one with its attempt. */
    const event = async (workspaceId: string, daysAgo: number, deliveries: [endpointId: string, status: string][]) => {
      const [row] = await db.execute<{ id: string }>(sql`
        insert into public.webhook_events (workspace_id, type, data, created_at)
        values (${workspaceId}, 'lead.created', '{"lead":{"email":"zoë@example.com"}}'::jsonb, ${ago(daysAgo)}::timestamptz) returning id`);
      for (const [endpointId, status] of deliveries) {
        const finished = status !== "pending";
        const [delivery] = await db.execute<{ id: string }>(sql`
          insert into public.webhook_deliveries (workspace_id, event_id, endpoint_id, status, attempts, created_at, completed_at)
          values (${workspaceId}, ${row!.id}, ${endpointId}, ${status}::webhook_delivery_status, ${finished ? 1 : 0},
                  ${ago(daysAgo)}::timestamptz, ${finished ? ago(daysAgo) : null}::timestamptz) returning id`);
        if (finished) {
          await db.execute(sql`
            insert into public.webhook_delivery_attempts (workspace_id, delivery_id, attempt, ok, status_code, duration_ms, attempted_at)
            values (${workspaceId}, ${delivery!.id}, 1, ${status === "succeeded"}, ${status === "succeeded" ? 204 : 500}, 12, ${ago(daysAgo)}::timestamptz)`);
        }
      }
      return row!.id;
    };
    const left = async (eventIds: string[]) => {
      const rows = await db.execute<{ id: string; deliveries: number; attempts: number }>(sql`
        select e.id, (select count(*)::int from public.webhook_deliveries d where d.event_id = e.id) as deliveries,
          (select count(*)::int from public.webhook_delivery_attempts a join public.webhook_deliveries d on d.id = a.delivery_id
           where d.event_id = e.id) as attempts
        from public.webhook_events e where e.id in ${eventIds}`);
      return Object.fromEntries(rows.map((r) => [r.id, { deliveries: r.deliveries, attempts: r.attempts }]));
    };

    it("deletes finished events past 30 days with their deliveries and attempts, in every workspace; keeps younger ones and any with a delivery still pending", async () => {
      const [crm, zapier, other] = [await endpoint(fx.a.id), await endpoint(fx.a.id), await endpoint(fx.b.id)];
      const delivered = await event(fx.a.id, 31, [[crm, "succeeded"]]);
      const failed = await event(fx.a.id, 45, [
        [crm, "failed"],
        [zapier, "succeeded"],
      ]);
      const stillPending = await event(fx.a.id, 60, [
        [crm, "succeeded"],
        [zapier, "pending"],
      ]);
      const recent = await event(fx.a.id, 29, [[crm, "succeeded"]]);
      const otherWorkspace = await event(fx.b.id, 40, [[other, "failed"]]);
      const endpointGone = await event(fx.a.id, 35, []);
      const all = [delivered, failed, stillPending, recent, otherWorkspace, endpointGone];
      const attemptsBefore = await db.execute<{ n: number }>(sql`
        select count(*)::int n from public.webhook_delivery_attempts where workspace_id in (${fx.a.id}, ${fx.b.id})`);

      const engine = new InngestTestEngine({
        function: pruneOldRecordsFunction,
        events: [{ name: "inngest/scheduled.timer", data: { cron: "45 3 * * *" }, ts: Date.now() } as EventPayload],
      });
      const { result } = (await engine.execute()) as { result: { webhookLog: { deleted: number } } };
      expect(result.webhookLog.deleted).toBeGreaterThanOrEqual(4);

      expect(await left(all)).toEqual({
        [stillPending]: { deliveries: 2, attempts: 1 },
        [recent]: { deliveries: 1, attempts: 1 },
      });
      // Only the deleted events' attempts went: 1 + 2 + 1 of them.
      const [attemptsAfter] = await db.execute<{ n: number }>(sql`
        select count(*)::int n from public.webhook_delivery_attempts where workspace_id in (${fx.a.id}, ${fx.b.id})`);
      expect(attemptsAfter!.n).toBe(attemptsBefore[0]!.n - 4);
    });

    it("counts the retention from the deliveries' end: an old event whose redelivery failed a minute ago stays", async () => {
      const crm = await endpoint(fx.a.id);
      const redelivered = await event(fx.a.id, 40, [[crm, "failed"]]);
      await db.execute(
        sql`update public.webhook_deliveries set completed_at = now() - interval '1 minute' where event_id = ${redelivered}`,
      );
      await pruneWebhookLog(db, { now: new Date() });
      expect(await left([redelivered])).toEqual({ [redelivered]: { deliveries: 1, attempts: 1 } });
    });

    it("keeps an old event whose delivery an admin redelivers while the prune runs", async () => {
      const crm = await endpoint(fx.a.id);
      const old = await event(fx.a.id, 45, [[crm, "failed"]]);
      const [delivery] = await db.execute<{ id: string }>(sql`select id from public.webhook_deliveries where event_id = ${old}`);
      const admin = fx.a.members.admin;
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let adminPid = 0;
      // The admin's redelivery, its row updated and not yet committed when the prune starts.
      const redelivery = asUser(admin, async (tx) => {
        const [me] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        adminPid = me!.pid;
        await redeliverWebhook(tx, { workspaceId: fx.a.id, userId: admin.id, role: "admin" }, delivery!.id);
        await held;
      });
      while (adminPid === 0) await new Promise((r) => setTimeout(r, 10));
      const prune = pruneWebhookLog(db, { now: new Date() });
      for (let i = 0; ; i++) {
        const [row] = await db.execute<{ n: number }>(
          sql`select count(*)::int as n from pg_stat_activity where ${adminPid} = any(pg_blocking_pids(pid))`,
        );
        if (row!.n > 0) break;
        if (i > 500) throw new Error("the prune never waited for the redelivery's lock");
        await new Promise((r) => setTimeout(r, 10));
      }
      commit();
      await redelivery;
      await prune;
      const [after] = await db.execute<{ status: string }>(sql`select status from public.webhook_deliveries where id = ${delivery!.id}`);
      expect(after).toEqual({ status: "pending" });
    });

    it("deletes in batches until nothing past the retention is left", async () => {
      const crm = await endpoint(fx.b.id);
      const old = [];
      for (let i = 0; i < 5; i++) old.push(await event(fx.b.id, 90, [[crm, "succeeded"]]));
      // At least these five (the cron is for every workspace: another file's old events may go too).
      expect((await pruneWebhookLog(db, { now: new Date(), batch: 2 })).deleted).toBeGreaterThanOrEqual(5);
      expect(await left(old)).toEqual({});
    });
  });
});
