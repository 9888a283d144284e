import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { COMPANY_LEADS_PAGE_SIZE, getCompany, listCompanyLeads } from "./get-company";

/** A company of workspace A with 60 live leads (known statuses and owners) and 2 deleted ones. */

let fx: TenancyFixture;
let companyId: string;
let otherCompanyId: string;
const db = () => serviceDb();

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  const [company] = await db().execute<{ id: string }>(sql`
    insert into public.companies (workspace_id, name, domain, employee_count) values (${fx.a.id}, 'Ångström Labs', 'angstrom.example', 120)
    returning id`);
  companyId = company!.id;
  const [other] = await db().execute<{ id: string }>(sql`
    insert into public.companies (workspace_id, name) values (${fx.b.id}, 'Globex Secret') returning id`);
  otherCompanyId = other!.id;
  // Statuses: 30 new, 20 contacted, 10 won; every 4th owned by the rep; pairs share a creation time.
  await db().execute(sql`
    insert into public.leads (workspace_id, first_name, last_name, email, company_id, status, owner_id, created_at, source, sample_data)
    select ${fx.a.id}, 'Zoë', 'Lead ' || g, 'lead-' || g || '@angstrom.example', ${companyId},
      (case when g <= 30 then 'new' when g <= 50 then 'contacted' else 'won' end)::lead_status,
      case when g % 4 = 0 then ${fx.a.members.sales_rep.id}::uuid end,
      timestamptz '2026-05-01 09:00:00.000001+00' + (g / 2) * interval '1 minute',
      -- Lead 7 is a person Apollo's sandbox invented: its row carries the Sample mark.
      (case when g = 7 then 'apollo' else 'manual' end)::lead_source, case when g = 7 then 'lead'::lead_sample_data end
    from generate_series(1, 60) g`);
  await db().execute(sql`
    insert into public.leads (workspace_id, first_name, email, company_id, status, deleted_at)
    select ${fx.a.id}, 'Gone', 'gone-' || g || '@angstrom.example', ${companyId}, 'lost', now() from generate_series(1, 2) g`);
  await db().execute(sql`
    insert into public.leads (workspace_id, first_name, email, company_id) values (${fx.b.id}, 'Hidden', 'hidden@globex.example', ${otherCompanyId})`);
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

describe("getCompany", () => {
  it("gives the company with its live leads counted per status", async () => {
    const company = await asUser(fx.a.members.viewer, (tx) => getCompany(tx, { workspaceId: fx.a.id, companyId }));
    expect(company).toMatchObject({ name: "Ångström Labs", domain: "angstrom.example", employeeCount: 120, leadCount: 60 });
    expect(company.leadsByStatus).toEqual({
      new: 30,
      contacted: 20,
      replied: 0,
      interested: 0,
      meeting: 0,
      won: 10,
      lost: 0,
      unsubscribed: 0,
      bounced: 0,
    });
  });

  it("says not found for another workspace's company, even asked for by its member, and for an id that is not one", async () => {
    await expect(
      asUser(fx.a.members.admin, (tx) => getCompany(tx, { workspaceId: fx.a.id, companyId: otherCompanyId })),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(asUser(fx.b.members.admin, (tx) => getCompany(tx, { workspaceId: fx.a.id, companyId }))).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(asUser(fx.a.members.admin, (tx) => getCompany(tx, { workspaceId: fx.a.id, companyId: "nope" }))).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("listCompanyLeads", () => {
  it("pages through the live leads newest first, each exactly once, with owner names", async () => {
    const rep = fx.a.members.sales_rep;
    const first = await asUser(rep, (tx) => listCompanyLeads(tx, { workspaceId: fx.a.id, companyId }));
    expect(first.rows).toHaveLength(COMPANY_LEADS_PAGE_SIZE);
    const second = await asUser(rep, (tx) => listCompanyLeads(tx, { workspaceId: fx.a.id, companyId, cursor: first.nextCursor! }));
    expect(second.nextCursor).toBeNull();
    const names = [...first.rows, ...second.rows].map((r) => r.lastName);
    // Newest first; leads sharing a creation time in id order, so compare as sets per minute.
    expect(new Set(names)).toEqual(new Set(Array.from({ length: 60 }, (_, i) => `Lead ${i + 1}`)));
    expect(names).toHaveLength(60);
    expect(names[0]).toMatch(/^Lead 60$/);
    expect([...first.rows, ...second.rows].filter((r) => r.ownerName === rep.fullName)).toHaveLength(15);
    const sample = [...first.rows, ...second.rows].filter((r) => r.sampleData !== null);
    expect(sample.map((r) => [r.lastName, r.source, r.sampleData])).toEqual([["Lead 7", "apollo", "lead"]]);
  });

  it("shows nothing of a company in another workspace", async () => {
    const page = await asUser(fx.a.members.admin, (tx) => listCompanyLeads(tx, { workspaceId: fx.a.id, companyId: otherCompanyId }));
    expect(page.rows).toEqual([]);
    const asOutsider = await asUser(fx.b.members.admin, (tx) => listCompanyLeads(tx, { workspaceId: fx.a.id, companyId }));
    expect(asOutsider.rows).toEqual([]);
  });
});
