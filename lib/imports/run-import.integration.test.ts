import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { createTestImport } from "@/tests/fixtures/imports";
import { addTestMember, insertTestLead } from "@/tests/fixtures/leads";
import {
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyWorkspace,
} from "@/tests/fixtures/tenancy";
import { runImportBatch, type ImportJobRef } from "./run-import-batch";
import type { ColumnTarget, ImportMapping, ImportRules, ImportTarget } from "./types";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

const f = (field: ImportTarget): ColumnTarget => ({ kind: "field", field });
const HEADERS = ["First Name", "Last Name", "Email", "Person Linkedin Url", "Apollo Id", "Title", "Website", "Tags", "Company"];
const MAPPING: ImportMapping = {
  columns: [
    f("first_name"),
    f("last_name"),
    f("email"),
    f("linkedin_url"),
    f("apollo_person_id"),
    f("title"),
    f("company_website"),
    f("tags"),
    f("company_name"),
  ],
};
const SKIP: ImportRules = { onMatch: "skip", owner: { kind: "none" }, tags: [] };

type Counts = {
  status: string;
  processed_rows: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
  companies_created: number;
};

/** Runs the import's batches until it stops, as the job's steps would. */
async function importRows(
  ws: TenancyWorkspace,
  rows: string[][],
  options: {
    rules?: ImportRules;
    batchSize?: number;
    by?: string;
    issues?: Parameters<typeof createTestImport>[0]["issues"];
    fileName?: string;
    /** Another file layout than HEADERS and MAPPING. */
    headers?: string[];
    mapping?: ImportMapping;
  } = {},
): Promise<{
  ref: ImportJobRef;
  counts: Counts;
  issues: { row_number: number; outcome: string; reason: string; detail: string | null }[];
}> {
  const by = options.by ?? ws.members.manager.id;
  const importId = await createTestImport({
    workspaceId: ws.id,
    createdBy: by,
    headers: options.headers ?? HEADERS,
    rows,
    issues: options.issues,
    fileName: options.fileName,
    start: { mapping: options.mapping ?? MAPPING, rules: options.rules ?? SKIP },
  });
  const ref = { workspaceId: ws.id, importId, requestedBy: by };
  for (let i = 0; i < 1_000; i++) {
    const progress = await runImportBatch(ref, options.batchSize ?? 3);
    if (progress.status !== "running") break;
  }
  const [counts] = await serviceDb().execute<Counts>(sql`
    select status::text, processed_rows, inserted, updated, skipped, failed, companies_created from public.lead_imports where id = ${importId}`);
  const issues = await serviceDb().execute<{ row_number: number; outcome: string; reason: string; detail: string | null }>(sql`
    select row_number, outcome::text, reason, detail from public.lead_import_issues where import_id = ${importId} order by row_number`);
  return { ref, counts: counts!, issues: [...issues] };
}

type Lead = {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  title: string | null;
  linkedin_url: string | null;
  apollo_person_id: string | null;
  tags: string[];
  owner_id: string | null;
  company_id: string | null;
  source: string;
  updated_at: string;
  last_activity_at: string | null;
};

async function leadsWhere(wsId: string, like: string): Promise<Lead[]> {
  return [
    ...(await serviceDb().execute<Lead>(sql`
    select id, first_name, last_name, email, title, linkedin_url, apollo_person_id, tags, owner_id, company_id, source::text,
      updated_at::text, last_activity_at::text
    from public.leads where workspace_id = ${wsId} and (email ilike ${like} or linkedin_url ilike ${like}) order by lower(email), linkedin_url`)),
  ];
}

const row = (o: Partial<Record<"first" | "last" | "email" | "linkedin" | "apollo" | "title" | "website" | "tags" | "company", string>>) => [
  o.first ?? "",
  o.last ?? "",
  o.email ?? "",
  o.linkedin ?? "",
  o.apollo ?? "",
  o.title ?? "",
  o.website ?? "",
  o.tags ?? "",
  o.company ?? "",
];

describe("an import's batches", () => {
  it("insert each lead of the file once: later rows with the same email in another case or spacing are duplicates, also across batches", async () => {
    const t = randomSuffix();
    const { counts, issues } = await importRows(fx.a, [
      row({ first: "Ana", email: `Ana.${t}@Acme.io` }),
      row({ first: "Ana 2", email: `  ana.${t}@acme.io ` }),
      row({ first: "Bo", email: `bo.${t}@acme.io`, linkedin: `linkedin.com/in/bo-${t}` }),
      row({ first: "Ana 3", email: `ANA.${t}@ACME.IO` }),
      row({ first: "Bo again", linkedin: `https://www.linkedin.com/in/BO-${t}/` }),
      row({ first: "Cy", email: `cy.${t}@acme.io` }),
    ]);
    expect(counts).toMatchObject({ status: "completed", processed_rows: 6, inserted: 3, updated: 0, skipped: 3, failed: 0 });
    expect(issues.map((i) => [i.row_number, i.reason])).toEqual([
      [2, "duplicate_in_file"],
      [4, "duplicate_in_file"],
      [5, "duplicate_in_file"],
    ]);
    const leads = await leadsWhere(fx.a.id, `%${t}%`);
    expect(leads.map((l) => [l.first_name, l.email, l.source])).toEqual([
      ["Ana", `Ana.${t}@Acme.io`, "csv"],
      ["Bo", `bo.${t}@acme.io`, "csv"],
      ["Cy", `cy.${t}@acme.io`, "csv"],
    ]);
  });

  it("treat two rows reaching one existing lead through different identities as one lead", async () => {
    const t = randomSuffix();
    await insertTestLead(fx.a, { email: `dee.${t}@acme.io`, linkedinUrl: `https://www.linkedin.com/in/dee-${t}` });
    const { counts, issues } = await importRows(
      fx.a,
      [row({ email: `dee.${t}@acme.io`, title: "CTO" }), row({ linkedin: `linkedin.com/in/dee-${t}`, title: "CEO" })],
      { rules: { onMatch: "overwrite", owner: { kind: "none" }, tags: [] }, batchSize: 10 },
    );
    expect(counts).toMatchObject({ updated: 1, skipped: 1 });
    expect(issues).toMatchObject([{ row_number: 2, reason: "duplicate_in_file" }]);
    expect((await leadsWhere(fx.a.id, `%dee.${t}%`))[0]!.title).toBe("CTO");
  });

  it("apply the match rule to existing leads found by email, Apollo id or LinkedIn URL", async () => {
    const t = randomSuffix();
    const existing = async () => {
      const byEmail = await insertTestLead(fx.a, { firstName: "Old", email: `e.${t}@acme.io`, title: null, tags: ["old"] });
      const byApollo = await insertTestLead(fx.a, { firstName: "Old", email: `a.${t}@acme.io`, apolloPersonId: `ap-${t}`, title: "Boss" });
      const byLinkedIn = await insertTestLead(fx.a, { firstName: "", email: null, linkedinUrl: `https://www.linkedin.com/in/l-${t}` });
      return [byEmail, byApollo, byLinkedIn];
    };
    const file = [
      row({ first: "New", email: `E.${t}@acme.io`, title: "VP", tags: "fresh" }),
      row({ first: "New", apollo: `ap-${t}`, email: `a2.${t}@acme.io`, title: "CEO" }),
      row({ first: "New", linkedin: `https://linkedin.com/in/L-${t}`, email: `l.${t}@acme.io` }),
    ];
    const titlesOf = async (ids: string[]) =>
      serviceDb().execute<{ first_name: string; title: string | null; email: string | null; tags: string[] }>(sql`
        select first_name, title, email, tags from public.leads where id in ${ids}
        order by array_position(${`{${ids.join(",")}}`}::uuid[], id)`);

    const skipIds = await existing();
    const skip = await importRows(fx.a, file, { rules: SKIP, batchSize: 10 });
    expect(skip.counts).toMatchObject({ inserted: 0, updated: 0, skipped: 3 });
    expect(skip.issues.map((i) => i.reason)).toEqual(["exists_skip_rule", "exists_skip_rule", "exists_skip_rule"]);
    await serviceDb().execute(sql`delete from public.leads where id in ${skipIds}`);

    const fillIds = await existing();
    const fill = await importRows(fx.a, file, { rules: { onMatch: "fill_empty", owner: { kind: "none" }, tags: ["imp"] }, batchSize: 10 });
    expect(fill.counts).toMatchObject({ inserted: 0, updated: 3, skipped: 0 });
    expect([...(await titlesOf(fillIds))]).toEqual([
      { first_name: "Old", title: "VP", email: `e.${t}@acme.io`, tags: ["old", "fresh", "imp"] },
      { first_name: "Old", title: "Boss", email: `a.${t}@acme.io`, tags: ["imp"] },
      { first_name: "New", title: null, email: `l.${t}@acme.io`, tags: ["imp"] },
    ]);
    // Run again: nothing left to fill, so every row is unchanged.
    const again = await importRows(fx.a, file, { rules: { onMatch: "fill_empty", owner: { kind: "none" }, tags: ["imp"] }, batchSize: 10 });
    expect(again.counts).toMatchObject({ updated: 0, skipped: 3 });
    expect(again.issues.map((i) => i.reason)).toEqual(["unchanged", "unchanged", "unchanged"]);
    await serviceDb().execute(sql`delete from public.leads where id in ${fillIds}`);

    const overIds = await existing();
    const over = await importRows(fx.a, file, { rules: { onMatch: "overwrite", owner: { kind: "none" }, tags: [] }, batchSize: 10 });
    expect(over.counts).toMatchObject({ inserted: 0, updated: 3 });
    expect([...(await titlesOf(overIds))]).toEqual([
      { first_name: "New", title: "VP", email: `E.${t}@acme.io`, tags: ["old", "fresh"] },
      { first_name: "New", title: "CEO", email: `a2.${t}@acme.io`, tags: [] },
      { first_name: "New", title: null, email: `l.${t}@acme.io`, tags: [] },
    ]);
  });

  it("keep an email status to the address it describes: a lead's new address starts over, another address's status stays off it", async () => {
    const t = randomSuffix();
    const withStatus = {
      headers: ["Email", "Person Linkedin Url", "Email Status"],
      mapping: { columns: [f("email"), f("linkedin_url"), f("email_status")] },
    };
    const lead = (slug: string, email: string, emailStatus: "invalid" | "unknown" | "valid") =>
      insertTestLead(fx.a, {
        email,
        emailStatus,
        emailVerifiedAt: emailStatus === "unknown" ? null : new Date(),
        linkedinUrl: `https://www.linkedin.com/in/${slug}-${t}`,
      });
    const moved = await lead("moved", `old.${t}@acme.io`, "invalid");
    const movedVerified = await lead("moved-verified", `was.${t}@acme.io`, "valid");
    const kept = await lead("kept", `kept.${t}@acme.io`, "unknown");
    const sameAddress = await lead("same", `same.${t}@acme.io`, "unknown");
    const rows = [
      [`new.${t}@acme.io`, `https://www.linkedin.com/in/moved-${t}`, ""],
      [`now.${t}@acme.io`, `https://www.linkedin.com/in/moved-verified-${t}`, "Verified"],
      [`other.${t}@acme.io`, `https://www.linkedin.com/in/kept-${t}`, "Bounced"],
      [`SAME.${t}@acme.io`, `https://www.linkedin.com/in/same-${t}`, "Bounced"],
    ];
    const statuses = async () =>
      serviceDb().execute<{ email: string; email_status: string; verified: boolean }>(sql`
        select email, email_status::text, email_verified_at is not null as verified from public.leads
        where id in ${[moved, movedVerified, kept, sameAddress]} order by array_position(${`{${[moved, movedVerified, kept, sameAddress].join(",")}}`}::uuid[], id)`);

    await importRows(fx.a, rows.slice(2), { ...withStatus, rules: { onMatch: "fill_empty", owner: { kind: "none" }, tags: [] } });
    await importRows(fx.a, rows.slice(0, 2), { ...withStatus, rules: { onMatch: "overwrite", owner: { kind: "none" }, tags: [] } });
    expect([...(await statuses())]).toEqual([
      // Overwritten with a new address and no status for it: unknown, no longer "invalid".
      { email: `new.${t}@acme.io`, email_status: "unknown", verified: false },
      // A new address with its own status from the file.
      { email: `now.${t}@acme.io`, email_status: "valid", verified: false },
      // Filled: the lead keeps its address, and the file's "Bounced" was about another one.
      { email: `kept.${t}@acme.io`, email_status: "unknown", verified: false },
      // The same address in another case: its status is the lead's.
      { email: `same.${t}@acme.io`, email_status: "invalid", verified: false },
    ]);
  });

  it("keep each tag once whatever its case: the lead's spelling first, then the file's, then the import's", async () => {
    const t = randomSuffix();
    await insertTestLead(fx.a, { firstName: "Old", email: `tags.${t}@acme.io`, tags: ["vip", "Fintech"] });
    const file = [
      row({ first: "Old", email: `tags.${t}@acme.io`, tags: "VIP; q4; Q4" }),
      row({ first: "New", email: `new-tags.${t}@acme.io`, tags: "QA-Import, qa-import" }),
    ];
    const { counts } = await importRows(fx.a, file, {
      rules: { onMatch: "fill_empty", owner: { kind: "none" }, tags: ["qa-import", "FINTECH"] },
    });
    expect(counts).toMatchObject({ inserted: 1, updated: 1, failed: 0 });
    const tagsOf = new Map((await leadsWhere(fx.a.id, `%tags.${t}@acme.io`)).map((l) => [l.email, l.tags]));
    expect(tagsOf.get(`tags.${t}@acme.io`)).toEqual(["vip", "Fintech", "q4", "qa-import"]);
    expect(tagsOf.get(`new-tags.${t}@acme.io`)).toEqual(["QA-Import", "FINTECH"]);
  });

  it("change nothing when the same file is imported twice under skip", async () => {
    const t = randomSuffix();
    const file = Array.from({ length: 7 }, (_, i) => row({ first: `P${i}`, email: `p${i}.${t}@twice.io`, website: "twice.io" }));
    const first = await importRows(fx.a, file);
    expect(first.counts).toMatchObject({ inserted: 7, companies_created: 1 });
    const before = await leadsWhere(fx.a.id, `%.${t}@twice.io`);
    const activitiesBefore = await serviceDb().execute(
      sql`select count(*)::int as n from public.lead_activities where lead_id in ${before.map((l) => l.id)}`,
    );
    const second = await importRows(fx.a, file);
    expect(second.counts).toMatchObject({ status: "completed", inserted: 0, updated: 0, skipped: 7, failed: 0, companies_created: 0 });
    expect(await leadsWhere(fx.a.id, `%.${t}@twice.io`)).toEqual(before);
    expect(
      await serviceDb().execute(sql`select count(*)::int as n from public.lead_activities where lead_id in ${before.map((l) => l.id)}`),
    ).toEqual(activitiesBefore);
  });

  it("account for every row of a messy file: the four counts are exact and add up", async () => {
    const t = randomSuffix();
    await insertTestLead(fx.a, { email: `exists.${t}@mess.io` });
    const file = [
      row({ first: "Ok", email: `ok1.${t}@mess.io` }), // 1 inserted
      row({ first: "Bad", email: "not-an-email" }), // 2 failed invalid_email
      row({}), // 3 skipped empty_row
      row({ first: "Nobody" }), // 4 failed no_identity
      row({ first: "Dup", email: ` OK1.${t}@mess.io` }), // 5 skipped duplicate_in_file
      row({ first: "Exists", email: `exists.${t}@mess.io` }), // 6 skipped exists_skip_rule
      row({ first: "Li", linkedin: "https://www.linkedin.com/company/acme" }), // 7 failed invalid_linkedin_url
      row({ first: "x".repeat(101), email: `long.${t}@mess.io` }), // 8 failed value_too_long
      ["only", "three", "fields"], // 9 failed malformed_row (from the upload, never mapped)
      row({ first: "Li ok", linkedin: `linkedin.com/in/ok-${t}` }), // 10 inserted
      row({ first: "<b>Html</b>", email: `cmd.${t}@mess.io`, title: '=HYPERLINK("http://x","y")' }), // 11 inserted, as typed
    ];
    const { counts, issues } = await importRows(fx.a, file, {
      batchSize: 4,
      issues: [{ row: 9, outcome: "failed", reason: "malformed_row", detail: "Row has 3 fields, the header 8." }],
    });
    expect(counts).toMatchObject({ status: "completed", processed_rows: 11, inserted: 3, updated: 0, skipped: 3, failed: 5 });
    expect(counts.inserted + counts.updated + counts.skipped + counts.failed).toBe(file.length);
    expect(issues.map((i) => [i.row_number, i.outcome, i.reason])).toEqual([
      [2, "failed", "invalid_email"],
      [3, "skipped", "empty_row"],
      [4, "failed", "no_identity"],
      [5, "skipped", "duplicate_in_file"],
      [6, "skipped", "exists_skip_rule"],
      [7, "failed", "invalid_linkedin_url"],
      [8, "failed", "value_too_long"],
      [9, "failed", "malformed_row"],
    ]);
    expect(issues[0]!.detail).toBe('"Email" is not an email address.');
    const [html] = await leadsWhere(fx.a.id, `cmd.${t}@mess.io`);
    expect(html).toMatchObject({ first_name: "<b>Html</b>", title: '=HYPERLINK("http://x","y")' });
  });

  it("create or link companies by domain, from the website or a business email, never from free mail", async () => {
    const t = randomSuffix();
    const existingCompany = await serviceDb().execute<{ id: string }>(sql`
      insert into public.companies (workspace_id, name, domain) values (${fx.a.id}, 'Known Co', ${`known-${t}.io`}) returning id`);
    const { counts } = await importRows(fx.a, [
      row({ email: `a@site-${t}.io`, website: `https://www.Site-${t}.io/about` }),
      row({ email: `b.${t}@gmail.com`, website: `site-${t}.io` }),
      row({ email: `c@mail.biz-${t}.io` }),
      row({ email: `d.${t}@gmail.com` }),
      row({ email: `e.${t}@yahoo.co.uk`, website: "" }),
      row({ email: `f@known-${t}.io` }),
    ]);
    expect(counts).toMatchObject({ inserted: 6, companies_created: 2 });
    const links = await serviceDb().execute<{ email: string; domain: string | null; company_name: string | null }>(sql`
      select l.email, c.domain, l.company_name from public.leads l left join public.companies c on c.id = l.company_id
      where l.workspace_id = ${fx.a.id} and l.email like ${`%${t}%`} order by l.email`);
    expect([...links]).toEqual([
      { email: `a@site-${t}.io`, domain: `site-${t}.io`, company_name: `site-${t}.io` },
      { email: `b.${t}@gmail.com`, domain: `site-${t}.io`, company_name: `site-${t}.io` },
      { email: `c@mail.biz-${t}.io`, domain: `mail.biz-${t}.io`, company_name: `mail.biz-${t}.io` },
      { email: `d.${t}@gmail.com`, domain: null, company_name: null },
      { email: `e.${t}@yahoo.co.uk`, domain: null, company_name: null },
      { email: `f@known-${t}.io`, domain: `known-${t}.io`, company_name: "Known Co" },
    ]);
    const free = await serviceDb().execute(sql`
      select 1 from public.companies where workspace_id = ${fx.a.id} and domain in ('gmail.com', 'yahoo.co.uk')`);
    expect(free).toHaveLength(0);
    expect(existingCompany).toHaveLength(1);
  });

  it("import a row whose email domain is longer than any host name, without a company, beside the others (it failed the batch)", async () => {
    const t = randomSuffix();
    const { counts } = await importRows(fx.a, [
      row({ email: `ok1-${t}@acme-${t}.io` }),
      row({ email: `long-${t}@${"a".repeat(300)}-t.com` }),
      row({ email: `ok2-${t}@acme-${t}.io` }),
    ]);
    expect(counts).toMatchObject({ inserted: 3, failed: 0, companies_created: 1 });
    const [long] = await serviceDb().execute<{ company_id: string | null }>(sql`
      select company_id from public.leads where workspace_id = ${fx.a.id} and email like ${`long-${t}@%`}`);
    expect(long).toEqual({ company_id: null });
  });

  it("link rows naming a company without a domain to the company of that name, created once when missing", async () => {
    const t = randomSuffix();
    const [known] = await serviceDb().execute<{ id: string }>(sql`
      insert into public.companies (workspace_id, name) values (${fx.a.id}, ${`Known ${t}`}) returning id`);
    const { counts } = await importRows(
      fx.a,
      [
        row({ email: `a.${t}@gmail.com`, company: `Named ${t}` }),
        row({ linkedin: `linkedin.com/in/b-${t}`, company: `Named ${t}` }),
        row({ email: `c.${t}@gmail.com`, company: `Known ${t}` }),
      ],
      { batchSize: 2 },
    );
    expect(counts).toMatchObject({ inserted: 3, companies_created: 1 });
    const links = await serviceDb().execute<{ company_id: string; company_name: string; domain: string | null }>(sql`
      select l.company_id, l.company_name, c.domain from public.leads l join public.companies c on c.id = l.company_id
      where l.workspace_id = ${fx.a.id} and (l.email like ${`%.${t}@gmail.com`} or l.linkedin_url like ${`%-${t}`}) order by l.email`);
    expect(links.map((l) => [l.company_name, l.domain])).toEqual([
      [`Named ${t}`, null],
      [`Known ${t}`, null],
      [`Named ${t}`, null],
    ]);
    expect(links[0]!.company_id).toBe(links[2]!.company_id);
    expect(links[1]!.company_id).toBe(known!.id);
  });

  it("keep each company's lead count exact: companies the batches create, companies that existed, by domain and by name", async () => {
    const t = randomSuffix();
    const [known] = await serviceDb().execute<{ id: string }>(sql`
      insert into public.companies (workspace_id, name, domain) values (${fx.a.id}, 'Known Co', ${`known-${t}.io`}) returning id`);
    await insertTestLead(fx.a, { email: `old@known-${t}.io`, companyId: known!.id });
    const { counts } = await importRows(
      fx.a,
      [
        row({ email: `a@new-${t}.io` }),
        row({ email: `b@new-${t}.io` }),
        row({ email: ` A@New-${t}.io ` }), // a duplicate: counted nowhere
        row({ email: `c@known-${t}.io` }),
        row({ email: `old@known-${t}.io` }), // exists, skipped
        row({ email: `d@new-${t}.io` }), // the company the first batch created, in a later batch
        row({ email: `e.${t}@gmail.com`, company: `Named ${t}` }),
        row({ email: `f.${t}@gmail.com`, company: `Named ${t}` }),
        row({ email: `g@other-${t}.io`, website: `https://new-${t}.io` }),
      ],
      { batchSize: 4 },
    );
    expect(counts).toMatchObject({ inserted: 7, skipped: 2, companies_created: 2 });
    const companies = await serviceDb().execute<{ name: string; lead_count: number; leads: number }>(sql`
      select c.name, k.lead_count, (select count(*)::int from public.leads l where l.company_id = c.id and l.deleted_at is null) as leads
      from public.companies c left join public.company_lead_counts k on k.company_id = c.id
      where c.workspace_id = ${fx.a.id} and (c.domain in (${`new-${t}.io`}, ${`known-${t}.io`}) or c.name = ${`Named ${t}`})
      order by c.name`);
    expect([...companies]).toEqual([
      { name: "Known Co", lead_count: 2, leads: 2 },
      { name: `Named ${t}`, lead_count: 2, leads: 2 },
      { name: `new-${t}.io`, lead_count: 4, leads: 4 },
    ]);
  });

  it("share new leads between the chosen owners in turn, across batches", async () => {
    const t = randomSuffix();
    const [rep, manager] = [fx.a.members.sales_rep.id, fx.a.members.manager.id];
    await importRows(
      fx.a,
      Array.from({ length: 5 }, (_, i) => row({ email: `rr${i + 1}.${t}@acme.io` })),
      { rules: { onMatch: "skip", owner: { kind: "round_robin", userIds: [rep, manager] }, tags: ["fair-2026"] }, batchSize: 2 },
    );
    const leads = await leadsWhere(fx.a.id, `rr%.${t}@acme.io`);
    expect(leads.map((l) => l.owner_id)).toEqual([rep, manager, rep, manager, rep]);
    expect(leads.every((l) => l.tags.join() === "fair-2026")).toBe(true);
  });

  it("give each owner their turn by new lead: rows that match existing leads or fail take no one's turn", async () => {
    const t = randomSuffix();
    const [rep, manager] = [fx.a.members.sales_rep.id, fx.a.members.manager.id];
    for (const n of [1, 3, 5]) await insertTestLead(fx.a, { email: `turn${n}.${t}@acme.io` });
    await importRows(
      fx.a,
      [1, 2, 3, 4, 5, 6].map((n) => row({ email: `turn${n}.${t}@acme.io` })).concat([row({ email: "not an address" })]),
      { rules: { onMatch: "skip", owner: { kind: "round_robin", userIds: [rep, manager] }, tags: [] }, batchSize: 2 },
    );
    const fresh = (await leadsWhere(fx.a.id, `turn%.${t}@acme.io`)).filter((l) => /turn[246]\./.test(l.email!));
    expect(fresh.map((l) => [l.email, l.owner_id])).toEqual([
      [`turn2.${t}@acme.io`, rep],
      [`turn4.${t}@acme.io`, manager],
      [`turn6.${t}@acme.io`, rep],
    ]);
  });

  it("leave another rep's leads alone when a sales rep imports over them", async () => {
    const t = randomSuffix();
    const other = await addTestMember(fx.a, "sales_rep", "Other Rep");
    const rep = fx.a.members.sales_rep;
    await insertTestLead(fx.a, { email: `theirs.${t}@acme.io`, ownerId: other.id, title: "Old" });
    await insertTestLead(fx.a, { email: `free.${t}@acme.io`, ownerId: null, title: "Old" });
    const { counts, issues } = await importRows(
      fx.a,
      [row({ email: `theirs.${t}@acme.io`, title: "New" }), row({ email: `free.${t}@acme.io`, title: "New" })],
      { rules: { onMatch: "overwrite", owner: { kind: "member", userId: rep.id }, tags: [] }, by: rep.id, batchSize: 10 },
    );
    expect(counts).toMatchObject({ updated: 1, skipped: 1 });
    expect(issues).toMatchObject([{ row_number: 1, reason: "not_permitted" }]);
    expect((await leadsWhere(fx.a.id, `%.${t}@acme.io`)).map((l) => [l.email, l.title])).toEqual([
      [`free.${t}@acme.io`, "New"],
      [`theirs.${t}@acme.io`, "Old"],
    ]);
  });

  it("write 'imported from <file>' on each written lead's timeline, at the time last_activity_at already says", async () => {
    const t = randomSuffix();
    await importRows(fx.a, [row({ email: `tl.${t}@acme.io` })], { fileName: `apollo-${t}.csv` });
    const [lead] = await leadsWhere(fx.a.id, `tl.${t}@acme.io`);
    const activities = await serviceDb().execute<{ type: string; payload: Record<string, unknown>; created_at: string }>(sql`
      select type::text, payload, created_at::text from public.lead_activities where lead_id = ${lead!.id}`);
    expect([...activities]).toMatchObject([{ type: "imported", payload: { source: "csv", file: `apollo-${t}.csv`, row: 1 } }]);
    expect(activities[0]!.created_at).toBe(lead!.last_activity_at);
  });

  it("give new leads, their companies and timeline entries time-ordered ids (UUIDv7), the leads in the file's order across batches", async () => {
    const t = randomSuffix();
    const [{ before } = { before: "" }] = await serviceDb().execute<{ before: string }>(sql`select clock_timestamp()::text as before`);
    const names = ["Zoë", "Ana", "Łukasz", "Bo", "Émile", "Cy", "Dana"];
    await importRows(
      fx.a,
      names.map((first, i) => row({ first, email: `order${i}.${t}@uuid7-${t}.io`, website: `uuid7-${t}.io` })),
      { batchSize: 3 },
    );
    const leads = await serviceDb().execute<{ first_name: string; id: string; version: number; made: boolean; company_id: string }>(sql`
      select first_name, id::text, uuid_extract_version(id) as version, uuid_extract_timestamp(id) >= date_trunc('milliseconds', ${before}::timestamptz) as made,
        company_id::text
      from public.leads where workspace_id = ${fx.a.id} and email like ${`%.${t}@uuid7-${t}.io`} order by id`);
    expect(leads.map((l) => [l.first_name, l.version, l.made])).toEqual(names.map((n) => [n, 7, true]));
    const others = await serviceDb().execute<{ kind: string; version: number }>(sql`
      select 'company' as kind, uuid_extract_version(id) as version from public.companies where id = ${leads[0]!.company_id}::uuid
      union all
      select 'activity', uuid_extract_version(id) from public.lead_activities where lead_id = ${leads[0]!.id}::uuid`);
    expect([...others].map((o) => [o.kind, o.version]).sort()).toEqual([
      ["activity", 7],
      ["company", 7],
    ]);
  });

  it("never match or touch another workspace's leads or companies, even with the same emails and domains", async () => {
    const t = randomSuffix();
    const theirs = await insertTestLead(fx.b, { email: `same.${t}@shared-${t}.io`, title: "Theirs", apolloPersonId: `ap-${t}` });
    await serviceDb().execute(
      sql`insert into public.companies (workspace_id, name, domain) values (${fx.b.id}, 'B Co', ${`shared-${t}.io`})`,
    );
    const [before] = await serviceDb().execute(sql`select * from public.leads where id = ${theirs}`);
    const { counts } = await importRows(fx.a, [row({ email: `SAME.${t}@shared-${t}.io`, apollo: `ap-${t}`, title: "Ours" })], {
      rules: { onMatch: "overwrite", owner: { kind: "none" }, tags: [] },
    });
    expect(counts).toMatchObject({ inserted: 1, updated: 0, companies_created: 1 });
    const [after] = await serviceDb().execute(sql`select * from public.leads where id = ${theirs}`);
    expect(after).toEqual(before);
    const companies = await serviceDb().execute<{ workspace_id: string; lead_count: number }>(sql`
      select c.workspace_id, k.lead_count from public.companies c left join public.company_lead_counts k on k.company_id = c.id
      where c.domain = ${`shared-${t}.io`} order by c.name`);
    expect([...companies]).toEqual([
      { workspace_id: fx.b.id, lead_count: 0 },
      { workspace_id: fx.a.id, lead_count: 1 },
    ]);
  });
});

describe("an import reaching existing companies by domain", () => {
  const COMPANY_HEADERS = ["Email", "Website", "Company", "Industry", "Employees", "City"];
  const COMPANY_MAPPING: ImportMapping = {
    columns: [f("email"), f("company_website"), f("company_name"), f("company_industry"), f("company_employee_count"), f("company_city")],
  };
  type Company = { domain: string; name: string; industry: string | null; employee_count: number | null; city: string | null };

  /** Two companies: one a domain-only import left nameless and blank, one filled in by hand. */
  async function importOverCompanies(onMatch: ImportRules["onMatch"]): Promise<{ companies: Company[]; inserted: number }> {
    const t = randomSuffix();
    await serviceDb().execute(sql`
      insert into public.companies (workspace_id, name, domain, industry, employee_count, city) values
        (${fx.b.id}, ${`bare-${t}.io`}, ${`bare-${t}.io`}, null, null, ''),
        (${fx.b.id}, 'Kept Name', ${`full-${t}.io`}, 'Software', 40, 'Lyon')`);
    const importId = await createTestImport({
      workspaceId: fx.b.id,
      createdBy: fx.b.members.manager.id,
      headers: COMPANY_HEADERS,
      rows: [
        [`a@bare-${t}.io`, "", "Bare Inc", "Fintech", "120", "Oslo"],
        [`b@bare-${t}.io`, "", "Bare Other Name", "Retail", "5", "Rome"],
        [`c@full-${t}.io`, "", "Full Renamed", "Hardware", "", "Paris"],
      ],
      start: { mapping: COMPANY_MAPPING, rules: { onMatch, owner: { kind: "none" }, tags: [] } },
    });
    const ref = { workspaceId: fx.b.id, importId, requestedBy: fx.b.members.manager.id };
    expect(await runImportBatch(ref, 10)).toMatchObject({ status: "completed" });
    const [counts] = await serviceDb().execute<{ inserted: number; companies_created: number }>(sql`
      select inserted, companies_created from public.lead_imports where id = ${importId}`);
    expect(counts!.companies_created).toBe(0);
    const companies = await serviceDb().execute<Company>(sql`
      select domain, name, industry, employee_count, city from public.companies
      where workspace_id = ${fx.b.id} and domain in (${`bare-${t}.io`}, ${`full-${t}.io`}) order by domain`);
    const blind = (text: string) => text.replace(t, "T");
    return { companies: companies.map((c) => ({ ...c, domain: blind(c.domain), name: blind(c.name) })), inserted: counts!.inserted };
  }

  it("fills their blank fields (and the name of one named after its domain) from the file's first row naming it, keeping every value set", async () => {
    const { companies, inserted } = await importOverCompanies("fill_empty");
    expect(inserted).toBe(3);
    expect(companies).toEqual([
      { domain: "bare-T.io", name: "Bare Inc", industry: "Fintech", employee_count: 120, city: "Oslo" },
      { domain: "full-T.io", name: "Kept Name", industry: "Software", employee_count: 40, city: "Lyon" },
    ]);
  });

  it("overwrites their fields with the file's values where it has them under the overwrite rule", async () => {
    const { companies } = await importOverCompanies("overwrite");
    expect(companies).toEqual([
      { domain: "bare-T.io", name: "Bare Inc", industry: "Fintech", employee_count: 120, city: "Oslo" },
      { domain: "full-T.io", name: "Full Renamed", industry: "Hardware", employee_count: 40, city: "Paris" },
    ]);
  });

  it("leaves them as they are under the skip rule", async () => {
    const { companies, inserted } = await importOverCompanies("skip");
    expect(inserted).toBe(3);
    expect(companies).toEqual([
      { domain: "bare-T.io", name: "bare-T.io", industry: null, employee_count: null, city: "" },
      { domain: "full-T.io", name: "Kept Name", industry: "Software", employee_count: 40, city: "Lyon" },
    ]);
  });
});
