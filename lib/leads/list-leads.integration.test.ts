import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, type Database } from "@/db";
import {
  asUser,
  createTenancyFixture,
  createTestWorkspace,
  removeTestWorkspace,
  removeTenancyFixture,
  type TenancyFixture,
  type TestUser,
} from "@/tests/fixtures/tenancy";
import type { LeadListPage } from "./lead-list-types";
import { encodeCursor } from "./list-cursor";
import { estimateMatchingLeads } from "./list-total";
import { COLUMN_SORTS } from "./list-sorts";
import { chooseSearchMode, columnPageQuery, countMatchingLeads, listLeads, matchingLeadsCondition } from "./list-leads";
import { DEFAULT_LEAD_LIST_STATE, LEAD_SORTS, parseLeadListState, type LeadListState, type LeadSort } from "./list-state";

/**
 * The lead table's query on a fixture whose answers are known: 70 leads in Acme (accents, ties
 * in every sort column, missing values, some deleted) and 20 in Globex that must never show.
 */

type FixtureLead = {
  id: string;
  workspace: "a" | "b";
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  emailStatus: string;
  title: string | null;
  company: number | null;
  owner: "rep" | "manager" | null;
  status: string;
  score: number;
  source: string;
  tags: string[];
  country: string | null;
  createdAt: Date;
  lastActivityAt: Date | null;
  deleted: boolean;
};

const FIRST = ["Zoë", "Émile", "Łukasz", "Ana", "Björn", "zoe", "Renée", "Åsa", null, "Mia"];
const LAST = ["Ångström", "Dupont", "Żółć", "Núñez", "Østergaard", "Smith", null];
const STATUSES = ["new", "contacted", "replied", "interested", "meeting", "won", "lost", "unsubscribed", "bounced"];
const SOURCES = ["manual", "csv", "apollo", "phantombuster", "instantly"];
const EMAIL_STATUSES = ["unknown", "valid", "risky", "invalid"];
// One tag in two spellings ("vip", "VIP"): the filter finds both, whatever case it is given in.
const TAGS = [[], ["vip"], ["VIP", "fintech"], ["Fintech"], ["50%_off"]];
// Typed as people type them: one country in several cases, which the filter takes as one.
const COUNTRIES = ["France", "Deutschland", "España", null, "france", "ESPAÑA"];
const COMPANIES = [
  { name: "Müller & Söhne", size: 10, industry: "Software" },
  { name: "Acme Fintech", size: 200, industry: "Finance" },
  { name: "Ørsted Energi", size: 5000, industry: "Software" },
];
/** 23:30 UTC: 00:30 the next day in Paris, so day ranges in a time zone are visible. */
const BASE = Date.parse("2026-03-01T23:30:00Z");
const DAY = 86_400_000;

let fx: TenancyFixture;
let companyIds: string[] = [];
let all: FixtureLead[] = [];
const db = (): Database => serviceDb();

function makeLead(i: number, workspace: "a" | "b"): FixtureLead {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[i % LAST.length]!;
  return {
    id: randomUUID(),
    workspace,
    firstName: first,
    lastName: last,
    email: i % 7 === 3 ? null : `${(first ?? "x").toLowerCase()}.${i}@${workspace}-example.test`,
    emailStatus: EMAIL_STATUSES[i % 4]!,
    title: i % 5 === 0 ? null : ["Head of Sales", "CTO", "Développeuse"][i % 3]!,
    company: workspace === "b" || i % 6 === 5 ? null : i % 3,
    owner: workspace === "b" ? null : ((["rep", "manager", null] as const)[i % 3] ?? null),
    status: STATUSES[i % 9]!,
    score: (i * 37) % 101,
    source: SOURCES[i % 5]!,
    tags: TAGS[i % 5]!,
    country: COUNTRIES[i % COUNTRIES.length] ?? null,
    // Ten leads share each creation time, as after an import.
    createdAt: new Date(BASE + Math.floor(i / 10) * DAY),
    lastActivityAt: i % 3 === 0 ? null : new Date(BASE + (i % 7) * 3_600_000),
    deleted: workspace === "a" && i % 13 === 0,
  };
}

async function insertLeads(rows: FixtureLead[]): Promise<void> {
  for (const l of rows) {
    const workspaceId = l.workspace === "a" ? fx.a.id : fx.b.id;
    const ownerId = l.owner === "rep" ? fx.a.members.sales_rep.id : l.owner === "manager" ? fx.a.members.manager.id : null;
    const companyId = l.company === null ? null : companyIds[l.company]!;
    await db().execute(sql`
      insert into public.leads (id, workspace_id, first_name, last_name, email, email_status, title, company_id, owner_id,
        status, score, source, tags, country, created_at, last_activity_at, deleted_at)
      values (${l.id}, ${workspaceId}, ${l.firstName}, ${l.lastName}, ${l.email}, ${l.emailStatus}::public.email_status, ${l.title},
        ${companyId}, ${ownerId}, ${l.status}::public.lead_status, ${l.score}, ${l.source}::public.lead_source,
        ${`{${l.tags.map((t) => `"${t}"`).join(",")}}`}::text[], ${l.country}, ${l.createdAt.toISOString()}::timestamptz,
        ${l.lastActivityAt?.toISOString() ?? null}::timestamptz, ${l.deleted ? l.createdAt.toISOString() : null}::timestamptz)`);
  }
}

beforeAll(async () => {
  fx = await createTenancyFixture(db());
  companyIds = [];
  for (const c of COMPANIES) {
    const [row] = await db().execute<{ id: string }>(sql`
      insert into public.companies (workspace_id, name, employee_count, industry)
      values (${fx.a.id}, ${c.name}, ${c.size}, ${c.industry}) returning id`);
    companyIds.push(row!.id);
  }
  all = [...Array.from({ length: 70 }, (_, i) => makeLead(i, "a")), ...Array.from({ length: 20 }, (_, i) => makeLead(i, "b"))];
  await insertLeads(all);
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx, db());
});

const liveA = () => all.filter((l) => l.workspace === "a" && !l.deleted);
const state = (change: Partial<LeadListState> = {}): LeadListState => ({ ...DEFAULT_LEAD_LIST_STATE, ...change });
const rep = (): TestUser => fx.a.members.sales_rep;

function list(s: Partial<LeadListState>, user: TestUser = rep(), workspaceId = fx.a.id): Promise<LeadListPage> {
  return asUser(user, (tx) => listLeads(tx, { workspaceId, userId: user.id, state: state(s) }));
}

/** Every page from the first, following nextCursor; then back from the last, following prevCursor. */
async function walk(s: Partial<LeadListState>): Promise<{ forward: string[]; backward: string[] }> {
  const forward: string[] = [];
  const pages: LeadListPage[] = [];
  let page = await list({ ...s, pageSize: 25 });
  for (;;) {
    pages.push(page);
    forward.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) break;
    page = await list({ ...s, pageSize: 25, cursor: page.nextCursor });
    expect(page.notices).toEqual([]);
  }
  const backward: string[] = [...pages.at(-1)!.rows.map((r) => r.id)];
  page = pages.at(-1)!;
  while (page.prevCursor) {
    page = await list({ ...s, pageSize: 25, cursor: page.prevCursor, before: true });
    backward.unshift(...page.rows.map((r) => r.id));
  }
  return { forward, backward };
}

/** The order PostgreSQL gives the same key with a plain ORDER BY over all live leads of Acme. */
async function referenceOrder(sort: Exclude<LeadSort, "owner">, dir: "asc" | "desc"): Promise<string[]> {
  const d = sql.raw(dir);
  const rows = await db().execute<{ id: string }>(sql`
    select id from public.leads where workspace_id = ${fx.a.id} and deleted_at is null
    order by ${COLUMN_SORTS[sort].key} ${d}, id ${d}`);
  return rows.map((r) => r.id);
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
const expectIds = (page: LeadListPage, expected: FixtureLead[]) => expect(ids(page.rows)).toEqual(ids(expected));

describe("listLeads: sorting and keyset pages", () => {
  for (const sort of LEAD_SORTS.filter((s): s is Exclude<LeadSort, "owner"> => s !== "owner")) {
    for (const dir of ["asc", "desc"] as const) {
      it(`visits every live lead once, in order, by ${sort} ${dir}, forwards and backwards`, async () => {
        const expected = await referenceOrder(sort, dir);
        expect(expected).toHaveLength(liveA().length);
        const { forward, backward } = await walk({ sort, dir });
        expect(forward).toEqual(expected);
        expect(backward).toEqual(expected);
      });
    }
  }

  it("sorts by the key's meaning: ties by id, missing values first ascending, numbers and dates as such", async () => {
    const byId = (a: FixtureLead, b: FixtureLead) => (a.id < b.id ? -1 : 1);
    const score = [...liveA()].sort((a, b) => a.score - b.score || byId(a, b)).map((l) => l.id);
    expect((await walk({ sort: "score", dir: "asc" })).forward).toEqual(score);
    const created = [...liveA()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || byId(b, a)).map((l) => l.id);
    expect((await walk({})).forward).toEqual(created);
    const activity = (await walk({ sort: "lastActivity", dir: "asc" })).forward;
    const neverActive = liveA().filter((l) => l.lastActivityAt === null);
    expect(activity.slice(0, neverActive.length).sort()).toEqual(ids(neverActive));
    const status = (await walk({ sort: "status", dir: "asc" })).forward.map((id) => all.find((l) => l.id === id)!.status);
    expect(status).toEqual([...status].sort((a, b) => STATUSES.indexOf(a) - STATUSES.indexOf(b)));
  });

  it("sorts names as a reader would: an accented letter beside its plain one, not after z", async () => {
    // Each fixture first name by its letter without the accent: Åsa among the a's, Łukasz among the l's.
    const letter = (name: string | null) =>
      ({ Ana: "a", Åsa: "a", Björn: "b", Émile: "e", Łukasz: "l", Mia: "m", Renée: "r", Zoë: "z", zoe: "z" })[name ?? ""] ?? "";
    const firstLetters = (rows: string[]) => rows.map((id) => letter(all.find((l) => l.id === id)!.firstName));
    const ascending = firstLetters((await walk({ sort: "name", dir: "asc" })).forward);
    expect(ascending).toEqual([...ascending].sort());
    expect(new Set(ascending)).toEqual(new Set(["", "a", "b", "e", "l", "m", "r", "z"]));
    const descending = firstLetters((await walk({ sort: "name", dir: "desc" })).forward);
    expect(descending).toEqual([...ascending].reverse());
  });

  it("sorts by owner name (unassigned first ascending), with each row's owner name", async () => {
    const names = [fx.a.members.sales_rep, fx.a.members.manager].sort((a, b) => a.fullName.localeCompare(b.fullName));
    const rankOf = (l: FixtureLead) => {
      if (l.owner === null) return 0;
      const owner = l.owner === "rep" ? fx.a.members.sales_rep : fx.a.members.manager;
      return 1 + names.findIndex((n) => n.id === owner.id);
    };
    for (const dir of ["asc", "desc"] as const) {
      const sign = dir === "asc" ? 1 : -1;
      const expected = [...liveA()].sort((a, b) => sign * (rankOf(a) - rankOf(b) || (a.id < b.id ? -1 : 1))).map((l) => l.id);
      const { forward, backward } = await walk({ sort: "owner", dir });
      expect(forward).toEqual(expected);
      expect(backward).toEqual(expected);
    }
    const page = await list({ sort: "owner", dir: "desc", pageSize: 100 });
    const repRow = page.rows.find((r) => r.ownerId === fx.a.members.sales_rep.id)!;
    expect(repRow.ownerName).toBe(fx.a.members.sales_rep.fullName);
    expect(page.rows.find((r) => r.ownerId === null)!.ownerName).toBeNull();
  });

  it("sorts owners by name as a reader would: Élise before Zed", async () => {
    const rename = (user: TestUser, name: string) =>
      db().execute(sql`update public.profiles set full_name = ${name} where id = ${user.id}`);
    const { sales_rep: salesRep, manager } = fx.a.members;
    await rename(salesRep, "Zed Rep");
    await rename(manager, "Élise Manager");
    try {
      const owners = (await walk({ sort: "owner", dir: "asc" })).forward.map((id) => all.find((l) => l.id === id)!.owner);
      expect([...new Set(owners)]).toEqual([null, "manager", "rep"]);
    } finally {
      await rename(salesRep, salesRep.fullName);
      await rename(manager, manager.fullName);
    }
  });

  it("reads a column sort's owner names in its page query, without a statement for the members", async () => {
    const dialect = new PgDialect();
    const statements: string[] = [];
    const user = rep();
    const page = await asUser(user, (tx) => {
      const counting = new Proxy(tx, {
        get(target, key, receiver) {
          if (key !== "execute") return Reflect.get(target, key, receiver);
          return (query: SQL) => {
            statements.push(dialect.sqlToQuery(query).sql);
            return target.execute(query);
          };
        },
      });
      return listLeads(counting, { workspaceId: fx.a.id, userId: user.id, state: state({ sort: "name", pageSize: 100 }) });
    });
    expect(page.rows.find((r) => r.ownerId === fx.a.members.sales_rep.id)!.ownerName).toBe(fx.a.members.sales_rep.fullName);
    expect(page.rows.find((r) => r.ownerId === fx.a.members.manager.id)!.ownerName).toBe(fx.a.members.manager.fullName);
    expect(page.rows.find((r) => r.ownerId === null)!.ownerName).toBeNull();
    // The page, the total's plan and its count (the fixture is small enough to count).
    expect(statements).toHaveLength(3);
    expect(statements.filter((s) => /^\s*select m\.user_id/.test(s))).toEqual([]);
  });

  it("keeps its place when leads are added between page loads, ties with the cursor's row included", async () => {
    const first = await list({ pageSize: 25 });
    const cursorRow = first.rows.at(-1)!;
    // New leads: one newer than everything, one older, and two sharing the cursor row's creation time on both sides of its id.
    const tied = new Date(cursorRow.createdAt);
    const added = [0, 1, 2, 3].map((i) => ({ ...makeLead(100 + i, "a" as const), deleted: false }));
    added[0]!.createdAt = new Date(BASE + 100 * DAY);
    added[1]!.createdAt = new Date(BASE - 100 * DAY);
    added[2]!.createdAt = tied;
    added[3]!.createdAt = tied;
    added[2]!.id = "00000000-0000-4000-8000-000000000000";
    added[3]!.id = "ffffffff-ffff-4fff-bfff-ffffffffffff";
    await insertLeads(added);
    try {
      const seen = [...first.rows.map((r) => r.id)];
      let page = first;
      while (page.nextCursor) {
        page = await list({ pageSize: 25, cursor: page.nextCursor });
        seen.push(...page.rows.map((r) => r.id));
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const l of liveA()) expect(seen).toContain(l.id);
      // Rows after the cursor in the sort order appear; rows before it do not (they belong to pages already read).
      expect(seen).toContain(added[1]!.id);
      expect(seen).toContain(added[2]!.id);
      expect(seen).not.toContain(added[0]!.id);
      expect(seen).not.toContain(added[3]!.id);
    } finally {
      await db().execute(sql`delete from public.leads where id in ${added.map((l) => l.id)}`);
    }
  });

  it("shows the first page with a notice for a forged cursor or one from another sort, never an error", async () => {
    const firstPage = await list({ pageSize: 25 });
    const other = encodeCursor({ sort: "score", dir: "asc", value: 50, id: randomUUID() });
    const wrongType = encodeCursor({ sort: "created", dir: "desc", value: "not a date'); drop table leads; --", id: randomUUID() });
    const goneOwner = encodeCursor({ sort: "owner", dir: "asc", value: randomUUID(), id: randomUUID() });
    for (const [cursor, sort] of [
      ["garbage!!", "created"],
      [Buffer.from("{}").toString("base64url"), "created"],
      [other, "created"],
      [wrongType, "created"],
      [goneOwner, "owner"],
      // Values PostgreSQL refuses to compare (each failed the page): a day that does not exist,
      // year 0, hour 24, a NUL in a text key.
      [encodeCursor({ sort: "created", dir: "desc", value: "2024-02-30T00:00:00Z", id: randomUUID() }), "created"],
      [encodeCursor({ sort: "created", dir: "desc", value: "0000-01-01 00:00:00+00", id: randomUUID() }), "created"],
      [encodeCursor({ sort: "created", dir: "desc", value: "2026-01-01 24:00:00+00", id: randomUUID() }), "created"],
      [encodeCursor({ sort: "name", dir: "asc", value: "ada\u0000", id: randomUUID() }), "name"],
    ] as const) {
      const page = await list({ pageSize: 25, cursor, sort });
      expect(page.notices, cursor).toHaveLength(1);
      expect(page.prevCursor).toBeNull();
      if (sort === "created") expect(page.rows.map((r) => r.id)).toEqual(firstPage.rows.map((r) => r.id));
    }
  });

  it("drops, with a notice, a link's filters the database could not take, and shows the page", async () => {
    // A "to" day of 9999-12-31 has no next day (it threw, for everyone opening a view saved with
    // it); PostgreSQL stores no NUL in text.
    const { state: parsed, notices } = parseLeadListState(
      new URLSearchParams({ createdTo: "9999-12-31", activityTo: "9999-12-31", q: "ada\u0000", tags: "vip\u0000", country: "DE\u0000" }),
    );
    expect(notices).toEqual([
      "Ignored a malformed search, tags, country, created to, last activity to in the link; the rest of the view is applied.",
    ]);
    const page = await list(parsed);
    expect(page.rows.length).toBeGreaterThan(0);
    expect(parseLeadListState(new URLSearchParams({ createdTo: "9998-12-31" })).notices).toEqual([]);
  });

  it("follows a next-page cursor whatever its row's sort key holds: 300 characters of a language written in three bytes", async () => {
    // The cursor carries the key, in base64url: the URL's limit once dropped it and showed page 1 again.
    // 26 of them: sorted by title, descending, the first page ends on one.
    const added = Array.from({ length: 26 }, (_, i) => ({
      ...makeLead(200 + i, "a" as const),
      deleted: false,
      title: `${"営業部長".repeat(74)}営${String.fromCharCode(0x4e00 + i)}`,
    }));
    await insertLeads(added);
    try {
      const first = await list({ sort: "title", dir: "desc", pageSize: 25 });
      const cursor = first.nextCursor!;
      expect(cursor.length).toBeGreaterThan(1000);
      const { state: parsed, notices } = parseLeadListState(new URLSearchParams({ sort: "title", dir: "desc", pageSize: "25", cursor }));
      expect(notices).toEqual([]);
      const second = await list(parsed);
      expect(second.notices).toEqual([]);
      expect(second.rows.map((r) => r.id)).not.toContain(first.rows[0]!.id);
    } finally {
      await db().execute(sql`delete from public.leads where id in ${added.map((l) => l.id)}`);
    }
  });
});

describe("listLeads: filters and search", () => {
  const where = (p: (l: FixtureLead) => boolean) => liveA().filter(p);
  const rep = () => fx.a.members.sales_rep;
  const cases: [string, Partial<LeadListState>, (l: FixtureLead) => boolean][] = [
    ["status", { status: ["won", "new"] }, (l) => l.status === "won" || l.status === "new"],
    ["owner me", { owner: ["me"] }, (l) => l.owner === "rep"],
    ["owner unassigned", { owner: ["unassigned"] }, (l) => l.owner === null],
    ["owner by id and unassigned", { owner: ["unassigned", "00000000-0000-4000-8000-000000000001"] }, (l) => l.owner === null],
    ["source", { source: ["csv", "apollo"] }, (l) => l.source === "csv" || l.source === "apollo"],
    ["tags any", { tags: ["Vip", "50%_OFF"] }, (l) => hasTag(l, "vip") || hasTag(l, "50%_off")],
    ["tags all", { tags: ["vip", "FINTECH"], tagMode: "all" }, (l) => hasTag(l, "vip") && hasTag(l, "fintech")],
    ["score range", { scoreMin: 20, scoreMax: 60 }, (l) => l.score >= 20 && l.score <= 60],
    ["has email", { hasEmail: true }, (l) => l.email !== null],
    ["has no email", { hasEmail: false }, (l) => l.email === null],
    ["email status", { emailStatus: ["valid", "risky"] }, (l) => l.emailStatus === "valid" || l.emailStatus === "risky"],
    ["company size", { sizeMin: 100, sizeMax: 5000 }, (l) => l.company === 1 || l.company === 2],
    ["industry, in any case", { industry: ["SOFTWARE"] }, (l) => l.company === 0 || l.company === 2],
    ["country, in any case", { country: ["españa", "France"] }, (l) => ["españa", "france"].includes(l.country?.toLowerCase() ?? "")],
    ["created days in UTC", { createdFrom: "2026-03-03", createdTo: "2026-03-04" }, (l) => [2, 3].includes(group(l))],
    ["created days in Paris", { createdFrom: "2026-03-03", createdTo: "2026-03-04", tz: "Europe/Paris" }, (l) => [1, 2].includes(group(l))],
    [
      "last activity days",
      { activityFrom: "2026-03-02", activityTo: "2026-03-02", tz: "UTC" },
      (l) => l.lastActivityAt !== null && l.lastActivityAt.getTime() >= Date.parse("2026-03-02T00:00:00Z"),
    ],
    [
      "combined",
      { status: ["new", "contacted", "replied"], hasEmail: true, scoreMax: 80, owner: ["me", "unassigned"] },
      (l) => ["new", "contacted", "replied"].includes(l.status) && l.email !== null && l.score <= 80 && l.owner !== "manager",
    ],
  ];
  const group = (l: FixtureLead) => Math.round((l.createdAt.getTime() - BASE) / DAY);
  const hasTag = (l: FixtureLead, tag: string) => l.tags.some((t) => t.toLowerCase() === tag);

  for (const [name, filter, predicate] of cases) {
    it(`filters by ${name}: exactly the matching live leads of the workspace, and counts them`, async () => {
      const expected = where(predicate);
      expect(expected.length).toBeGreaterThan(0);
      const page = await list({ ...filter, pageSize: 100 });
      expectIds(page, expected);
      expect(page.total).toEqual({ kind: "exact", value: expected.length });
      const counted = await asUser(rep(), (tx) => countMatchingLeads(tx, { workspaceId: fx.a.id, userId: rep().id, state: state(filter) }));
      expect(counted).toBe(expected.length);
    });
  }

  it("shows only the deleted leads under the Deleted filter", async () => {
    const page = await list({ deleted: true, pageSize: 100 });
    expectIds(
      page,
      all.filter((l) => l.workspace === "a" && l.deleted),
    );
  });

  const searches: [string, (l: FixtureLead) => boolean][] = [
    // Accents are ignored both ways: "zoe" finds "Zoë" and "Zoë" finds "zoe".
    ["Zoë", (l) => l.firstName === "Zoë" || l.firstName === "zoe"],
    ["zoe", (l) => l.firstName === "Zoë" || l.firstName === "zoe"],
    ["ÅNGSTRÖM", (l) => l.lastName === "Ångström"],
    ["angstrom", (l) => l.lastName === "Ångström"],
    ["lukasz", (l) => l.firstName === "Łukasz"],
    ["müller", (l) => l.company === 0],
    ["muller", (l) => l.company === 0],
    ["développeuse", (l) => l.title === "Développeuse"],
    [".4@a-exam", (l) => l.email?.includes(".4@a-exam") ?? false],
    // Quotes around words and commas between them, as people type a name.
    ['"Smith"', (l) => l.lastName === "Smith"],
    ["«Østergaard»", (l) => l.lastName === "Østergaard"],
    ["smith, zoë", (l) => l.lastName === "Smith" && (l.firstName === "Zoë" || l.firstName === "zoe")],
    ["ana acme", (l) => l.firstName === "Ana" && l.company === 1],
    ["%", () => false],
  ];
  for (const [q, predicate] of searches) {
    it(`searches names, email, company and title for "${q}", through the index and by scanning alike`, async () => {
      const page = await list({ q, pageSize: 100 });
      expectIds(page, where(predicate));
      for (const mode of ["index", "scan"] as const) {
        const rows = await asUser(rep(), (tx) =>
          tx.execute<{ id: string }>(
            sql`select id from public.leads where ${matchingLeadsCondition({ workspaceId: fx.a.id, userId: rep().id, state: state({ q }) }, mode)}`,
          ),
        );
        expect(ids([...rows]), mode).toEqual(ids(where(predicate)));
      }
    });
  }
});

describe("listLeads: tenancy", () => {
  it("never returns or counts another workspace's leads, even when asked for that workspace", async () => {
    const page = await list({ pageSize: 100 });
    expect(page.total).toEqual({ kind: "exact", value: liveA().length });
    const bIds = new Set(all.filter((l) => l.workspace === "b").map((l) => l.id));
    expect(page.rows.some((r) => bIds.has(r.id))).toBe(false);
    const searchAll = await list({ q: "example.test", pageSize: 100 });
    expect(searchAll.rows.some((r) => bIds.has(r.id))).toBe(false);

    const forged = await list({ pageSize: 100 }, rep(), fx.b.id);
    expect(forged.rows).toEqual([]);
    expect(forged.total).toEqual({ kind: "exact", value: 0 });
    const forgedOwnerSort = await list({ pageSize: 100, sort: "owner" }, rep(), fx.b.id);
    expect(forgedOwnerSort.rows).toEqual([]);
    // The search helper bypasses RLS to use its index: it answers only for the caller's workspaces.
    const leaked = await asUser(rep(), (tx) =>
      tx.execute<{ id: string }>(sql`select private.search_lead_ids(${fx.b.id}::uuid, array['%example%']) as id`),
    );
    expect([...leaked]).toEqual([]);
    const own = await asUser(rep(), (tx) =>
      tx.execute<{ id: string }>(sql`select private.search_lead_ids(${fx.a.id}::uuid, array['%example%']) as id`),
    );
    expect(own.length).toBeGreaterThan(0);
  });
});

describe("listLeads: plans", () => {
  const INDEX: Record<Exclude<LeadSort, "owner">, string> = {
    created: "leads_sort_created_idx",
    lastActivity: "leads_sort_last_activity_idx",
    name: "leads_sort_name_idx",
    title: "leads_sort_title_idx",
    company: "leads_sort_company_idx",
    email: "leads_sort_email_idx",
    status: "leads_sort_status_idx",
    source: "leads_sort_source_idx",
    score: "leads_sort_score_idx",
    tags: "leads_sort_tags_idx",
    fitScore: "leads_sort_fit_score_idx",
    icebreaker: "leads_sort_icebreaker_idx",
  };

  it("reads every sort's page from its index in both directions, no sort step, membership as an InitPlan", async () => {
    const sampleValue = { created: BASE, lastActivity: "-infinity", score: 50, status: 5, source: 1, tags: "vip", fitScore: 50 } as const;
    for (const sort of Object.keys(INDEX) as (keyof typeof INDEX)[]) {
      for (const ascending of [true, false]) {
        const raw = sort in sampleValue ? sampleValue[sort as keyof typeof sampleValue] : "m";
        const value = typeof raw === "number" && sort === "created" ? new Date(raw).toISOString() : raw;
        const query = columnPageQuery(
          { workspaceId: fx.a.id, userId: rep().id, state: state({ sort }) },
          { sort, dir: ascending ? "asc" : "desc", value, id: randomUUID() },
          ascending,
          51,
        );
        const plan = await asUser(rep(), async (tx) => {
          // A tiny table is cheaper to scan whole; the question here is whether the index can serve the order.
          await tx.execute(sql`set local enable_seqscan = off`);
          await tx.execute(sql`set local enable_sort = off`);
          const rows = await tx.execute<{ "QUERY PLAN": string }>(sql`explain ${query}`);
          return rows.map((r) => r["QUERY PLAN"]).join("\n");
        });
        expect(plan, `${sort} ${ascending ? "asc" : "desc"}`).toContain(`Index Scan${ascending ? "" : " Backward"} using ${INDEX[sort]}`);
        expect(plan).not.toMatch(/Sort/);
        // The keyset step is part of the index range (an Index Cond), not a filter over rows read
        // from the start: under RLS only leakproof comparisons may be, hence plain sort columns.
        expect(plan, `${sort}: ${plan}`).toMatch(/Index Cond: .*ROW\(/);
        expect(plan).toMatch(/InitPlan/);
        expect(plan).not.toMatch(/member_workspace_ids\(\)\)\)?::uuid\[\]\)\s*$/m);
      }
    }
  });
});

describe("listLeads: a search's pages", () => {
  /** The search's matches in a sort, by a plain LIKE on the search text as the superuser: the reference. */
  async function searchOrder(word: string, sort: Exclude<LeadSort, "owner">, dir: "asc" | "desc"): Promise<string[]> {
    const d = sql.raw(dir);
    const rows = await db().execute<{ id: string }>(sql`
      select id from public.leads where workspace_id = ${fx.a.id} and deleted_at is null and search_text like ${`%${word}%`}
      order by ${COLUMN_SORTS[sort].key} ${d}, id ${d}`);
    return rows.map((r) => r.id);
  }

  for (const [sort, dir] of [
    ["created", "desc"],
    ["company", "asc"],
    ["score", "desc"],
    ["lastActivity", "asc"],
  ] as const) {
    it(`walks a search's matches by ${sort} ${dir}, in order both ways, and counts them exactly`, async () => {
      const expected = await searchOrder("exam", sort, dir);
      expect(expected.length).toBeGreaterThan(25);
      expect(expected.length).toBeLessThan(liveA().length);
      const mode = await asUser(rep(), (tx) =>
        chooseSearchMode(tx, { workspaceId: fx.a.id, userId: rep().id, state: state({ q: "exam" }) }),
      );
      expect(mode).toBe("index");
      const { forward, backward } = await walk({ q: "exam", sort, dir });
      expect(forward).toEqual(expected);
      expect(backward).toEqual(expected);
      const first = await list({ q: "exam", sort, dir, pageSize: 25 });
      expect(first.total).toEqual({ kind: "exact", value: expected.length });
    });
  }

  it("sorts and counts only ids and sort keys of the matches; the page's columns are read for its rows alone", async () => {
    const scope = { workspaceId: fx.a.id, userId: rep().id, state: state({ q: "exam", sort: "company", dir: "asc" }) };
    type Node = { "Node Type": string; Output?: string[]; Plans?: Node[] };
    const plan = await asUser(rep(), async (tx) => {
      const [row] = await tx.execute<{ "QUERY PLAN": [{ Plan: Node }] }>(
        sql`explain (verbose, format json) ${columnPageQuery(scope, null, true, 26, "index", true)}`,
      );
      return row!["QUERY PLAN"][0].Plan;
    });
    // What runs under the LIMIT sees every match: the count (WindowAgg), the sort, the reads.
    const underLimit: Node[] = [];
    const visit = (n: Node, below: boolean) => {
      if (below) underLimit.push(n);
      n.Plans?.forEach((child) => visit(child, below || n["Node Type"] === "Limit"));
    };
    visit(plan, false);
    expect(underLimit.map((n) => n["Node Type"])).toEqual(expect.arrayContaining(["WindowAgg", "Sort"]));
    for (const node of underLimit) {
      const output = (node.Output ?? []).join(", ");
      // Nothing is formatted for every match...
      expect(output, node["Node Type"]).not.toMatch(/to_char|enrichment\s*->/);
      // ...and what sorts and counts them carries ids and keys only. A scan may hand on its rows
      // whole (PostgreSQL's physical target list: no projection, nothing copied), as the plan of
      // a busy run did once.
      if (!node["Node Type"].endsWith("Scan")) expect(output, node["Node Type"]).not.toMatch(/first_name|tags|enrichment/);
    }
    // The page's own columns are still formatted, above the limit.
    expect(JSON.stringify(plan)).toMatch(/to_char/);
  });
});

describe("listLeads: plans of combined filters", () => {
  /** The plan of a scope's first page (descending, 50 rows and one to tell if there are more), as the user. */
  const explainFirstPage = (user: TestUser, scope: Parameters<typeof columnPageQuery>[0]) =>
    asUser(user, async (tx) => {
      const rows = await tx.execute<{ "QUERY PLAN": string }>(sql`explain ${columnPageQuery(scope, null, false, 51)}`);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });

  it("answers country and status from leads_filter_country_status_idx under RLS, both as index conditions", async () => {
    const ws = await createTestWorkspace(db(), {
      name: "Umbrella",
      people: { admin: "Uma Admin", manager: "Umar Manager", sales_rep: "Rita Rep", analyst: "Ula Analyst", viewer: "Uli Viewer" },
    });
    try {
      // 6,000 leads over 20 countries and the 9 statuses: about 70 interested or meeting in Germany.
      await db().execute(sql`
        insert into public.leads (workspace_id, first_name, country, status, score)
        select ${ws.id}, 'Lead ' || g, case when g % 20 = 0 then 'Germany' else 'Country ' || (g % 20) end,
          (enum_range(null::public.lead_status))[1 + (g / 20) % 9], g % 101
        from generate_series(1, 6000) g`);
      await db().execute(sql`analyze public.leads`);
      const user = ws.members.sales_rep;
      const scope = {
        workspaceId: ws.id,
        userId: user.id,
        state: state({ country: ["GERMANY"], status: ["interested", "meeting"], sort: "score", dir: "desc" }),
      };
      const plan = await explainFirstPage(user, scope);
      expect(plan).toMatch(/Index Cond: .*country_key = ANY .*sort_status = ANY/);
      expect(plan).toMatch(/leads_filter_country_status_idx/);
      expect(plan).toMatch(/InitPlan/);
      const page = await list({ country: ["germany"], status: ["interested", "meeting"], sort: "score", dir: "desc" }, user, ws.id);
      expect(page.rows.length).toBe(50);
      expect(page.rows.every((r) => r.status === "interested" || r.status === "meeting")).toBe(true);
    } finally {
      await removeTestWorkspace(ws);
    }
  });
  it("answers an industry filter from the companies' industry index under RLS, not a scan of every company", async () => {
    const ws = await createTestWorkspace(db(), {
      name: "Initech",
      people: { admin: "Ina Admin", manager: "Ike Manager", sales_rep: "Ivo Rep", analyst: "Isa Analyst", viewer: "Ian Viewer" },
    });
    try {
      // 3,000 companies over 30 industries (Fintech written three ways), two leads each, in
      // Germany or elsewhere: bench:leads's "Fintech in Germany, interested or meeting" read all
      // 110,000 companies for it (57 ms of 68 ms).
      await db().execute(sql`
        insert into public.companies (workspace_id, name, industry)
        select ${ws.id}, 'Company ' || g, case when g % 30 = 0 then (array['Fintech', 'FINTECH', 'fintech'])[1 + (g / 30) % 3]
          else 'Industry ' || (g % 30) end
        from generate_series(1, 3000) g`);
      await db().execute(sql`
        insert into public.leads (workspace_id, first_name, company_id, country, status, score)
        select c.workspace_id, 'Lead ' || n, c.id, case when n = 1 then 'Germany' else 'France' end,
          (enum_range(null::public.lead_status))[1 + (n + length(c.name)) % 9], length(c.name) * 7 % 101
        from public.companies c cross join generate_series(1, 2) n where c.workspace_id = ${ws.id}`);
      await db().execute(sql`analyze public.companies`);
      await db().execute(sql`analyze public.leads`);
      const user = ws.members.sales_rep;
      const filter: Partial<LeadListState> = { industry: ["FinTech"], country: ["germany"], status: ["interested", "meeting"] };
      const scope = { workspaceId: ws.id, userId: user.id, state: state({ ...filter, sort: "score", dir: "desc" }) };
      const plan = await explainFirstPage(user, scope);
      expect(plan).toMatch(/Index Cond: .*industry_key = ANY/);
      expect(plan).not.toMatch(/Seq Scan on companies/);
      const page = await list({ ...filter, sort: "score", dir: "desc", pageSize: 100 }, user, ws.id);
      const [expected] = await db().execute<{ n: number }>(sql`
        select count(*)::int as n from public.leads l join public.companies c on c.id = l.company_id
        where l.workspace_id = ${ws.id} and lower(c.industry) = 'fintech' and l.country = 'Germany' and l.status in ('interested', 'meeting')`);
      expect(expected!.n).toBeGreaterThan(0);
      expect(page.rows.length).toBe(expected!.n);
    } finally {
      await removeTestWorkspace(ws);
    }
  });
});

describe("listLeads: the total of a large workspace", () => {
  it("says 'about N' past 10,000 leads without counting them, and counts exactly below", async () => {
    const big = await createTestWorkspace(db(), {
      name: "Initech",
      people: { admin: "Ada Admin", manager: "Max Manager", sales_rep: "Rhea Rep", analyst: "Ana Analyst", viewer: "Vic Viewer" },
    });
    try {
      await db().execute(sql`
        insert into public.leads (workspace_id, first_name, email, status, created_at, tags)
        select ${big.id}, 'Lead ' || g, 'lead' || g || '@initech.test', (case when g % 100 = 0 then 'won' else 'new' end)::public.lead_status,
          now() - g * interval '1 minute',
          case when g % 4 = 0 then '{Conference-Berlin}'::text[] when g % 400 = 1 then '{Rare-Tag}'::text[] else '{}'::text[] end
        from generate_series(1, 12000) g`);
      await db().execute(sql`analyze public.leads`);
      const user = big.members.sales_rep;
      const page = await list({ pageSize: 50 }, user, big.id);
      expect(page.total.kind).toBe("estimate");
      expect(page.total.value).toBeGreaterThan(12000 * 0.8);
      expect(page.total.value).toBeLessThan(12000 * 1.2);
      expect(page.rows).toHaveLength(50);
      const won = await list({ pageSize: 50, status: ["won"] }, user, big.id);
      expect(won.total).toEqual({ kind: "exact", value: 120 });
      // A search the trigram index answers reads every match before sorting: its first page
      // counts them as it reads them, exactly even past 10,000, without a second search.
      const searched = await list({ pageSize: 50, q: "initech" }, user, big.id);
      expect(
        await asUser(user, (tx) => chooseSearchMode(tx, { workspaceId: big.id, userId: user.id, state: state({ q: "initech" }) })),
      ).toBe("index");
      expect(searched.total).toEqual({ kind: "exact", value: 12000 });
      expect(searched.rows.map((r) => r.firstName)).toEqual(Array.from({ length: 50 }, (_, i) => `Lead ${i + 1}`));
      const next = await list({ pageSize: 50, q: "initech", cursor: searched.nextCursor! }, user, big.id);
      expect(next.rows[0]!.firstName).toBe("Lead 51");
      const all = await asUser(user, (tx) => countMatchingLeads(tx, { workspaceId: big.id, userId: user.id, state: state() }));
      expect(all).toBe(12000);
      // A tag filter compares lowered tags: the statistics on that expression tell a common tag
      // from a rare one (without them, every tag got the same default estimate).
      const tagged = (tag: string) =>
        asUser(user, (tx) => estimateMatchingLeads(tx, { workspaceId: big.id, userId: user.id, state: state({ tags: [tag] }) }, "index"));
      const [common, rare] = [await tagged("conference-berlin"), await tagged("rare-tag")];
      expect(common).toBeGreaterThan(3000 * 0.5);
      expect(common / Math.max(rare, 1)).toBeGreaterThan(20);
    } finally {
      await removeTestWorkspace(big);
    }
  });
});
