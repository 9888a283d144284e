import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * The planner's statistics on lower(email) (0074): the expression leads are matched by. The
 * unique index on it is partial, and PostgreSQL ignores a partial index's statistics, so without
 * the statistics object an address was estimated to match 0.5 % of a workspace's leads, and a
 * join from a list of addresses (bench:api's floor) sorted the whole workspace instead of
 * looking each address up.
 */

let fx: TenancyFixture;
const LEADS = 4_000;

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  await serviceDb().execute(sql`
    insert into public.leads (workspace_id, first_name, email)
    select ${fx.a.id}, 'Stat', 'stat-' || g || '-' || ${fx.a.slug} || '@Example.test' from generate_series(1, ${LEADS}) g`);
  await serviceDb().execute(sql`analyze public.leads`);
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

type Plan = { "Node Type": string; "Plan Rows": number };

async function planOf(query: ReturnType<typeof sql>): Promise<Plan> {
  const [row] = await serviceDb().execute<{ "QUERY PLAN": [{ Plan: Plan }] }>(sql`explain (format json) ${query}`);
  return row!["QUERY PLAN"][0].Plan;
}

describe("statistics on lower(email)", () => {
  it("estimate one lead per address, where the partial index's own statistics are ignored", async () => {
    const plan = await planOf(sql`
      select id from public.leads
      where workspace_id = ${fx.a.id} and lower(email) = ${`stat-7-${fx.a.slug}@example.test`} and email is not null`);
    // Without them: 0.5 % of the workspace's 4,000 leads, 20.
    expect(plan["Plan Rows"]).toBeLessThanOrEqual(2);
  });

  it("estimate a join from a list of addresses at one lead per address, not 0.5 % of the workspace each", async () => {
    const emails = Array.from({ length: 50 }, (_, i) => `stat-${i * 3 + 1}-${fx.a.slug}@example.test`);
    const plan = await planOf(sql`
      select l.id from unnest(${`{${emails.join(",")}}`}::text[]) as e(email)
      join public.leads l on l.workspace_id = ${fx.a.id} and lower(l.email) = e.email and l.email is not null`);
    // Without them: 50 × 20 = 1,000 rows, which at a million leads made a sort of the whole
    // workspace and a merge join look cheaper than 50 index look-ups.
    expect(plan["Plan Rows"]).toBeLessThanOrEqual(100);
  });
});
