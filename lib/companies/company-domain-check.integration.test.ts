import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { normalizeDomain } from "@/lib/leads/normalize";
import { insertTestCompany } from "@/tests/fixtures/leads";
import { asUser, createTenancyFixture, randomSuffix, removeTenancyFixture, sqlState, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * A company's domain is unique per workspace in its normalised form, which the database holds
 * itself (companies_domain_normalised, migration 0134): a writer's own token (what Supabase's Data
 * API runs as) could otherwise store a second spelling of another company's domain.
 */
let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("a company's domain in the database", () => {
  it("is only ever what normalizeDomain makes, whoever writes it", async () => {
    const domain = `acme-${randomSuffix()}.test`;
    await insertTestCompany(fx.a, { domain });
    const id = await insertTestCompany(fx.a, { domain: null });
    const write = (value: string) =>
      asUser(fx.a.members.sales_rep, (tx) => tx.execute(sql`update public.companies set domain = ${value} where id = ${id}`)).then(
        () => "stored",
        (error: unknown) => sqlState(error),
      );
    const label64 = `${"a".repeat(64)}.test`;
    const longName = `${Array.from({ length: 5 }, () => "b".repeat(60)).join(".")}.test`;
    for (const spelling of [`www.${domain}`, label64, longName, domain.toUpperCase(), `${domain}.`]) {
      expect(normalizeDomain(spelling), spelling).not.toBe(spelling);
      expect(await write(spelling), spelling).toBe("23514"); // check_violation
    }
    expect(await write(`eu.${domain}`)).toBe("stored");
  });

  it("holds for every row, so that no company is left that an edit would fail on", async () => {
    const [check] = await serviceDb().execute<{ validated: boolean }>(
      sql`select convalidated as validated from pg_constraint where conname = 'companies_domain_normalised'`,
    );
    expect(check).toEqual({ validated: true });
  });
});
