import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { plansOf, rowsRead } from "@/tests/fixtures/query-plans";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { LINK_NAMED_COMPANIES_SQL, NAMED_COMPANIES_SQL } from "./merge-sql";
import { STAGE_TABLE_SQL } from "./stage-rows";

/**
 * An import batch links rows that name a company without a domain (a LinkedIn export, a
 * free-mail address) to the workspace's company of that name, one look-up per name. Each look-up
 * must be an index range, not a read of every company: migration 0125 moved the name index to
 * the sort key, and `bench:import` then spent 2.3 s of every 10,000-row batch reading the
 * 100,000 companies of its workspace once per name (23 s of a 68 s import of 100,000 rows).
 *
 * Here 3,000 companies in the workspace, and a batch naming 20 of them and 5 new ones.
 */

const COMPANIES = 3_000;

let fx: TenancyFixture;
const db = () => serviceDb();

beforeAll(async () => {
  fx = await createTenancyFixture(db());
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

describe("an import batch's companies by name", () => {
  it("looks each name up through an index, reading a few companies, not the workspace's", { timeout: 60_000 }, async () => {
    const ws = fx.a.id;
    const tag = randomSuffix();
    await db().execute(sql`
      insert into public.companies (workspace_id, name, domain)
      select ${ws}, 'Société ' || g || ' ' || ${tag}, 'societe-' || g || '-' || ${tag} || '.example' from generate_series(1, ${COMPANIES}) g`);
    await db().execute(sql`analyze public.companies`);
    const names = [
      ...Array.from({ length: 20 }, (_, i) => `Société ${(i + 1) * 100} ${tag}`),
      ...Array.from({ length: 5 }, (_, i) => `Nouvelle ${i} ${tag}`),
    ];
    const rollBack = new Error("rolled back: a look at the plans only");

    const plans = await plansOf((connection) =>
      connection
        .begin(async (tx) => {
          await tx.unsafe(STAGE_TABLE_SQL);
          await tx`insert into import_stage (rn, outcome, company_name)
            select n, 'insert', name from unnest(${names}::text[]) with ordinality as u(name, n)`;
          await tx.unsafe("analyze import_stage");
          const [named] = await tx.unsafe<{ created: number }[]>(NAMED_COMPANIES_SQL, [ws, "skip", false]);
          expect(named!.created).toBe(5);
          await tx.unsafe(LINK_NAMED_COMPANIES_SQL, [ws]);
          const [linked] = await tx<{ n: number }[]>`select count(company_id)::int as n from import_stage`;
          expect(linked!.n).toBe(names.length);
          throw rollBack;
        })
        .catch((error: unknown) => {
          if (error !== rollBack) throw error;
        }),
    );

    // The plans in the order run: the stage's rows, creating the new names, linking, the count.
    expect(plans).toHaveLength(4);
    const [create, link] = [plans[1]!, plans[2]!].map((plan) => rowsRead([plan]));
    // Creating the new names may read the workspace's companies once (a hash anti join), never once per name.
    expect(create!.read.companies ?? 0, create!.how).toBeLessThanOrEqual(COMPANIES + names.length);
    // Linking looks each name up: about one company each.
    expect(link!.read.companies ?? 0, link!.how).toBeLessThanOrEqual(names.length * 2);
  });
});
