import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { pruneNotifications } from "@/lib/notifications/prune-notifications";
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
});
