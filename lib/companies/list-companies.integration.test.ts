import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TestUser } from "@/tests/fixtures/tenancy";
import type { CompanyListRow } from "./company-types";
import { encodeCompanyCursor } from "./cursor";
import { companyPageSql, companySearchCondition, EXACT_COUNT_LIMIT, listCompanies } from "./list-companies";
import { COMPANY_SORTS, DEFAULT_COMPANY_LIST_STATE, type CompanyListState, type CompanySort } from "./list-state";

/**
 * The company list on a fixture whose answers are known: workspace A has 61 companies with
 * tied names, sizes (some unknown), lead counts and creation times; workspace B has companies
 * whose names match the same searches, and 10,001 more so its total is an estimate.
 */

let fx: TenancyFixture;
const db = () => serviceDb();
const NAMES = [
  "Ångström Labs",
  "Nordlicht Analytics",
  "Müller & Söhne",
  "東京データ",
  "Kestrel 100% Cloud",
  "Dvořák Robotics",
  "zoë studio",
];

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  // 61 companies: names repeat every 7 (ties), sizes every 5 with every 6th unknown, lead counts every 4,
  // creation times in groups of 3 sharing one instant.
  await db().execute(sql`
    insert into public.companies (workspace_id, name, domain, employee_count, created_at)
    select ${fx.a.id}, (array[${sql.join(
      NAMES.map((n) => sql`${n}`),
      sql`, `,
    )}]::text[])[1 + g % 7], 'a' || g || '.example',
      case when g % 6 = 0 then null else (g % 5) * 10 end,
      timestamptz '2026-03-01 10:00:00.123456+00' + (g / 3) * interval '1 hour'
    from generate_series(0, 60) g`);
  await db().execute(sql`
    insert into public.leads (workspace_id, first_name, email, company_id)
    select ${fx.a.id}, 'Lead', 'lead-' || c.domain || '-' || g || '@example.test', c.id
    from public.companies c, generate_series(1, 3) g
    where c.workspace_id = ${fx.a.id} and g <= (substring(c.domain from '[0-9]+')::int % 4)`);
  await db().execute(sql`
    insert into public.companies (workspace_id, name, domain)
    values (${fx.b.id}, 'Ångström Globex', 'angstrom-globex.example'), (${fx.b.id}, 'Nordlicht Globex', null)`);
  await db().execute(sql`
    insert into public.companies (workspace_id, name, employee_count)
    select ${fx.b.id}, 'Bulk ' || g, g % 1000 from generate_series(1, ${EXACT_COUNT_LIMIT + 1}) g`);
  // Statistics of what was just written, as autovacuum would gather them: the lead counts (kept
  // by trigger) too, or the leads sort's plan depends on when the shared test database last
  // analysed them (a clean-clone CI run, on statistics from before these rows, planned a scan of them all).
  await db().execute(sql`analyze public.companies, public.company_lead_counts`);
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

const state = (change: Partial<CompanyListState> = {}): CompanyListState => ({ ...DEFAULT_COMPANY_LIST_STATE, ...change });

function list(user: TestUser, change: Partial<CompanyListState> = {}, workspaceId = fx.a.id) {
  return asUser(user, (tx) => listCompanies(tx, { workspaceId, state: state(change) }));
}

/** The order PostgreSQL itself gives the whole of workspace A for a sort: the oracle for paging. */
async function expectedOrder(sort: CompanySort, dir: "asc" | "desc"): Promise<string[]> {
  const key = { name: sql`c.name_sort`, size: sql`coalesce(c.employee_count, -1)`, leads: sql`k.lead_count`, created: sql`c.created_at` }[
    sort
  ];
  const order = dir === "asc" ? sql`asc` : sql`desc`;
  const rows = await db().execute<{ id: string }>(
    sql`select c.id from public.companies c join public.company_lead_counts k on k.company_id = c.id
      where c.workspace_id = ${fx.a.id} order by ${key} ${order}, c.id ${order}`,
  );
  return rows.map((r) => r.id);
}

describe("listCompanies", () => {
  it("finds companies by a fragment of name or domain in any case, accents and % included, only in the workspace", async () => {
    const rep = fx.a.members.sales_rep;
    const names = async (q: string) => [...new Set((await list(rep, { q })).rows.map((r) => r.name))];
    expect(await names("ÅNGSTRÖM")).toEqual(["Ångström Labs"]);
    expect(await names("nordlicht")).toEqual(["Nordlicht Analytics"]);
    expect(await names("東京")).toEqual(["東京データ"]);
    // `%` is a character, not a wildcard.
    expect(await names("100%")).toEqual(["Kestrel 100% Cloud"]);
    expect(await names("0%")).toEqual(["Kestrel 100% Cloud"]);
    expect(await names("k%c")).toEqual([]);
    // The domain: a12.example and a60.example hold "a1" and "a6"; a1, a10..a19 hold "a1".
    expect((await list(rep, { q: "a1", pageSize: 100 })).rows.map((r) => r.domain).sort()).toEqual(
      ["a1", ...Array.from({ length: 10 }, (_, i) => `a1${i}`)].map((d) => `${d}.example`).sort(),
    );
    // Accents count for nothing, either way round, as in the leads' search.
    expect(await names("angstrom")).toEqual(["Ångström Labs"]);
    expect(await names("muller & sohne")).toEqual(["Müller & Söhne"]);
    expect(await names("DVORAK")).toEqual(["Dvořák Robotics"]);
    expect(await names("zoe stu")).toEqual(["zoë studio"]);
    expect(await names("Zoë")).toEqual(["zoë studio"]);
    const page = await list(rep, { q: "ström" });
    expect(page.total).toEqual({ kind: "exact", value: page.rows.length });
    expect(page.rows.length).toBe(9);
  });

  it("visits every company exactly once, forwards then backwards, in every sort and direction, ties included", async () => {
    const rep = fx.a.members.sales_rep;
    for (const sort of COMPANY_SORTS) {
      for (const dir of ["asc", "desc"] as const) {
        const expected = await expectedOrder(sort, dir);
        const forwards: string[] = [];
        let page = await list(rep, { sort, dir, pageSize: 25 });
        expect(page.prevCursor).toBeNull();
        forwards.push(...page.rows.map((r) => r.id));
        while (page.nextCursor) {
          page = await list(rep, { sort, dir, pageSize: 25, cursor: page.nextCursor });
          forwards.push(...page.rows.map((r) => r.id));
        }
        expect(forwards, `${sort} ${dir} forwards`).toEqual(expected);

        const backwards: string[][] = [page.rows.map((r) => r.id)];
        while (page.prevCursor) {
          page = await list(rep, { sort, dir, pageSize: 25, cursor: page.prevCursor, before: true });
          backwards.unshift(page.rows.map((r) => r.id));
        }
        expect(backwards.flat(), `${sort} ${dir} backwards`).toEqual(expected);
        expect(backwards.map((p) => p.length)).toEqual([25, 25, 11]);
      }
    }
  });

  it("sorts by the values it shows: unknown sizes as the smallest, lead counts as linked", async () => {
    const rep = fx.a.members.sales_rep;
    const key = (r: CompanyListRow) => r.employeeCount ?? -1;
    const bySize = (await list(rep, { sort: "size", dir: "desc", pageSize: 100 })).rows;
    expect(bySize.map(key)).toEqual(bySize.map(key).sort((a, b) => b - a));
    expect(bySize.at(-1)!.employeeCount).toBeNull();
    const byLeads = (await list(rep, { sort: "leads", dir: "desc", pageSize: 100 })).rows;
    expect(byLeads.map((r) => r.leadCount)).toEqual(byLeads.map((r) => r.leadCount).sort((a, b) => b - a));
    expect(byLeads[0]).toMatchObject({ leadCount: 3 });
    expect(byLeads.find((r) => r.domain === "a7.example")).toMatchObject({ leadCount: 3 });
  });

  it("answers a search alike whether it finds the matches first or walks the sort's index", async () => {
    for (const sort of COMPANY_SORTS) {
      for (const q of ["ström", "a1", "100%", "東京"]) {
        const [byMatch, byOrder] = await Promise.all(
          (["match", "order"] as const).map((mode) =>
            asUser(fx.a.members.viewer, (tx) =>
              tx.execute<{ id: string }>(
                companyPageSql({ workspaceId: fx.a.id, state: state({ q, sort, dir: "desc", pageSize: 100 }), mode }),
              ),
            ),
          ),
        );
        expect(
          byMatch!.map((r) => r.id),
          `${sort} ${q}`,
        ).toEqual(byOrder!.map((r) => r.id));
        expect(byMatch!.length, `${sort} ${q}`).toBeGreaterThan(0);
      }
    }
  });

  it("sorts names without regard to case or accents: 'acme corp' and 'Élan' sit among the others, not after Z", async () => {
    const added = ["acme corp", "Zeta Systems", "Élan Vital", "Ørsted Energi"];
    await db().execute(sql`
      insert into public.companies (workspace_id, name) values ${sql.join(
        added.map((name) => sql`(${fx.a.id}, ${name})`),
        sql`, `,
      )}`);
    try {
      const page = await list(fx.a.members.viewer, { sort: "name", pageSize: 100 });
      const names = [...new Set(page.rows.map((r) => r.name))];
      expect(names).toEqual([
        "acme corp",
        "Ångström Labs",
        "Dvořák Robotics",
        "Élan Vital",
        "Kestrel 100% Cloud",
        "Müller & Söhne",
        "Nordlicht Analytics",
        "Ørsted Energi",
        "Zeta Systems",
        "zoë studio",
        "東京データ",
      ]);
    } finally {
      await db().execute(
        sql`delete from public.companies where workspace_id = ${fx.a.id} and name in ${sql`(${sql.join(
          added.map((name) => sql`${name}`),
          sql`, `,
        )})`}`,
      );
    }
  });

  it("keeps paging without repeats or gaps when companies are added between page loads", async () => {
    const rep = fx.a.members.sales_rep;
    const first = await list(rep, { sort: "name", pageSize: 25 });
    // One that sorts before the cursor (not shown on later pages) and one after it (shown once).
    await db().execute(sql`
      insert into public.companies (workspace_id, name) values (${fx.a.id}, 'AAA Early Bird'), (${fx.a.id}, 'zzz Late Comer')`);
    const seen = [...first.rows.map((r) => r.name)];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await list(rep, { sort: "name", pageSize: 25, cursor });
      seen.push(...page.rows.map((r) => r.name));
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(62);
    expect(seen).toContain("zzz Late Comer");
    expect(seen).not.toContain("AAA Early Bird");
    await db().execute(sql`delete from public.companies where workspace_id = ${fx.a.id} and name in ('AAA Early Bird', 'zzz Late Comer')`);
  });

  it("shows the first page for a cursor of another sort or one it did not write", async () => {
    const rep = fx.a.members.sales_rep;
    const bySize = await list(rep, { sort: "size", pageSize: 25 });
    const first = await list(rep, { sort: "name", pageSize: 25 });
    for (const cursor of [bySize.nextCursor!, "not-a-cursor", Buffer.from('{"s":"name","d":"asc","v":1,"i":"x"}').toString("base64url")]) {
      const page = await list(rep, { sort: "name", pageSize: 25, cursor });
      expect(page.cursorIgnored).toBe(true);
      expect(page.rows).toEqual(first.rows);
    }
    // Values PostgreSQL would refuse in the comparison (each failed the page with a 500): a day
    // that does not exist, an integer past int4, a NUL in a name.
    const forged = (s: string, v: unknown) => Buffer.from(JSON.stringify({ s, d: "asc", v, i: randomUUID() })).toString("base64url");
    for (const [sort, tag, value] of [
      ["created", "created", "2024-02-30T00:00:00.000000Z"],
      ["size", "size", 3_000_000_000],
      ["leads", "leads", 3_000_000_000],
      ["name", "name_key", "acme\u0000"],
    ] as const) {
      const page = await list(rep, { sort, dir: "asc", pageSize: 25, cursor: forged(tag, value) });
      expect(page.cursorIgnored, `${sort} ${value}`).toBe(true);
    }
    // A name cursor written for an earlier key (the name as typed, then lower-cased with its
    // accents) would skip or repeat rows under the unaccented key: the first page instead.
    for (const [tag, value] of [
      ["name", "Müller & Söhne"],
      ["name_lower", "ångström labs"],
    ]) {
      const old = await list(rep, { sort: "name", dir: "asc", pageSize: 25, cursor: forged(tag!, value) });
      expect(old.cursorIgnored, tag).toBe(true);
      expect(old.rows).toEqual(first.rows);
    }
    // A key longer than the name it came from (unaccent writes "⅒" as " 1/10") still pages on.
    const long = `${"⅒".repeat(299)}x`;
    const [row] = await db().execute<{ id: string; key: string }>(sql`
      insert into public.companies (workspace_id, name) values (${fx.a.id}, ${long}) returning id, name_sort as key`);
    try {
      expect(row!.key.length).toBeGreaterThan(1400);
      const cursor = encodeCompanyCursor({ sort: "name", dir: "asc", value: row!.key, id: row!.id });
      const next = await list(rep, { sort: "name", dir: "asc", pageSize: 25, cursor });
      expect(next.cursorIgnored).toBe(false);
      expect(next.rows.map((r) => r.name)).toEqual(first.rows.map((r) => r.name).slice(0, 25));
    } finally {
      await db().execute(sql`delete from public.companies where id = ${row!.id}`);
    }
  });

  it("counts exactly when it is cheap and estimates past the limit", async () => {
    expect((await list(fx.a.members.viewer)).total).toEqual({ kind: "exact", value: 61 });
    const b = await list(fx.b.members.viewer, {}, fx.b.id);
    expect(b.total.kind).toBe("estimate");
    expect(b.total.value).toBeGreaterThan(EXACT_COUNT_LIMIT);
    expect(b.total.value).toBeLessThan(EXACT_COUNT_LIMIT * 1.5);
    // A narrow search in the big workspace is counted exactly again.
    expect((await list(fx.b.members.viewer, { q: "bulk 1000" }, fx.b.id)).total).toEqual({ kind: "exact", value: 3 });
  });

  it("never shows another workspace's companies, even when asked for that workspace by id", async () => {
    const globex = await list(fx.b.members.admin, { pageSize: 100 }, fx.a.id);
    expect(globex.rows).toEqual([]);
    expect(globex.total).toEqual({ kind: "exact", value: 0 });
    const acme = await list(fx.a.members.admin, { q: "globex" });
    expect(acme.rows).toEqual([]);
    // The search helper bypasses RLS to use its index: it answers only for the caller's workspaces.
    const leaked = await asUser(fx.a.members.admin, (tx) =>
      tx.execute(sql`select private.search_company_ids(${fx.b.id}::uuid, '%') as id`),
    );
    expect([...leaked]).toEqual([]);
    const own = await asUser(fx.b.members.viewer, (tx) => tx.execute(sql`select private.search_company_ids(${fx.b.id}::uuid, '%') as id`));
    expect(own.length).toBeGreaterThan(0);
  });

  it("pages through an index range scan for every sort, deep pages too, and uses the trigram index to search", async () => {
    const explain = (q: ReturnType<typeof sql>) =>
      asUser(fx.b.members.viewer, async (tx) => {
        const rows = await tx.execute<{ "QUERY PLAN": string }>(sql`explain ${q}`);
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      });
    const indexes = {
      name: "companies_workspace_name_idx",
      size: "companies_workspace_size_idx",
      leads: "company_lead_counts_sort_idx",
      created: "companies_workspace_created_idx",
    };
    for (const sort of COMPANY_SORTS) {
      // The page query exactly as the list runs it, 100 pages deep: the keyset condition must be
      // part of the index condition, not a filter over every row before it.
      let cursor: string | null = null;
      for (let i = 0; i < 4; i++) {
        const page: Awaited<ReturnType<typeof list>> = await list(
          fx.b.members.viewer,
          { sort, dir: "desc", pageSize: 100, cursor: cursor ?? undefined },
          fx.b.id,
        );
        cursor = page.nextCursor;
      }
      const plan = await explain(
        companyPageSql({ workspaceId: fx.b.id, state: state({ sort, dir: "desc", cursor: cursor! }), mode: "order" }),
      );
      expect(plan, sort).toMatch(new RegExp(`Index (Only )?Scan Backward using ${indexes[sort]}.*\\n.*Index Cond: .*ROW\\(`));
    }
    // A search with few matches asks private.search_company_ids for them: under RLS, LIKE (not
    // leakproof) is never an index condition, and the list tested every company of the workspace
    // (240 ms at 100,000). The helper's own search is the trigram index's: at 10,000 rows a scan
    // is cheaper, so with no other way but a sequential scan the planner takes the index.
    const matchPage = await explain(companyPageSql({ workspaceId: fx.b.id, state: state({ q: "globex" }), mode: "match" }));
    expect(matchPage).toContain("search_company_ids");
    const helper = await db().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const rows = await tx.execute<{ "QUERY PLAN": string }>(sql`
        explain select c.id from public.companies c where c.search_text like '%globex%'`);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(helper).toMatch(/Bitmap Index Scan on companies_search_trgm_idx.*\n.*Index Cond: .*~~ /);
  });
});
