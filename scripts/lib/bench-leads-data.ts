import { readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type postgres from "postgres";
import { hashPassword } from "@/lib/auth-emulator/passwords";
import { openPostgres } from "@/db/postgres-target";
import { closeAllPools } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { benchPgSettings, profileSettings } from "./bench-profile";
import { loadAverage, s } from "./bench-timing";
import { cleanUpOnce } from "./stop-on-signal";

/**
 * The data of `npm run bench:leads`, generated inside PostgreSQL (INSERT … SELECT over
 * generate_series, values derived from hashes of the row number, so every run gets the same
 * rows) with the leads' secondary indexes dropped during the load and built afterwards.
 * Triggers are off for the load (session_replication_role = replica): the rows are built
 * consistent by construction (company_name copied from the company, owners are members).
 */

export const BENCH_PASSWORD = "bench-pass-2026";

export type BenchWorkspace = { id: string; repId: string; repEmail: string; memberIds: string[] };

const FIRST = [
  "Zoë",
  "Émile",
  "Łukasz",
  "Ana",
  "Björn",
  "Renée",
  "Åsa",
  "Mia",
  "José",
  "Chloé",
  "Jürgen",
  "Søren",
  "Inès",
  "Noah",
  "Olivia",
  "Liam",
  "Emma",
  "Lucas",
  "Sofía",
  "Mateo",
  "Hana",
  "Yuki",
  "Aarav",
  "Priya",
  "Kwame",
  "Amara",
  "Ivan",
  "Olga",
  "Marta",
  "Pedro",
  "Lena",
  "Tomás",
  "Nora",
  "Felix",
  "Clara",
  "Hugo",
  "Elif",
  "Mehmet",
  "Aisha",
  "Omar",
  "Sven",
  "Ingrid",
  "Paolo",
  "Giulia",
  "François",
  "Hélène",
  "Martín",
  "Lucía",
  "Dmitri",
  "Katarzyna",
];
const LAST = [
  "Ångström",
  "Dupont",
  "Żółć",
  "Núñez",
  "Østergaard",
  "Smith",
  "Müller",
  "García",
  "Rossi",
  "Nowak",
  "Kowalski",
  "Jensen",
  "Johansson",
  "Dubois",
  "Martin",
  "Bernard",
  "Schmidt",
  "Schneider",
  "Fischer",
  "Weber",
  "López",
  "Fernández",
  "Silva",
  "Santos",
  "Yamamoto",
  "Tanaka",
  "Kim",
  "Park",
  "Okafor",
  "Mensah",
  "Ivanova",
  "Petrov",
  "Novák",
  "Horváth",
  "Nagy",
  "Papadopoulos",
  "O'Brien",
  "Murphy",
  "Walsh",
  "Kelly",
  "Brown",
  "Wilson",
  "Taylor",
  "Anderson",
  "Thomas",
  "Moore",
  "Jackson",
  "White",
  "Harris",
  "Clark",
];
const TITLES = [
  "Head of Sales",
  "CTO",
  "CEO",
  "VP Marketing",
  "Sales Manager",
  "Account Executive",
  "Founder",
  "COO",
  "CFO",
  "Head of Growth",
  "Marketing Manager",
  "Developer Relations",
  "Product Manager",
  "Engineering Manager",
  "Office Manager",
  "Procurement Lead",
  "Head of Operations",
  "Chief Revenue Officer",
  "SDR",
  "Customer Success Manager",
];
const COMPANY_A = [
  "Nord",
  "Blue",
  "Acme",
  "Øster",
  "Müller",
  "Helio",
  "Vertex",
  "Quantum",
  "Lumen",
  "Arctic",
  "Sol",
  "Terra",
  "Nimbus",
  "Crescent",
  "Granite",
  "Kite",
];
const COMPANY_B = [
  "Systems",
  "Labs",
  "GmbH",
  "SA",
  "Logistics",
  "Analytics",
  "Energi",
  "Foods",
  "Capital",
  "Health",
  "Robotics",
  "Software",
  "Partners",
  "Retail",
];
export const INDUSTRIES = [
  "Software",
  "Fintech",
  "Healthcare",
  "Logistics",
  "Retail",
  "Manufacturing",
  "Energy",
  "Education",
  "Media",
  "Consulting",
  "Real Estate",
  "Telecom",
];
/** Skewed: the first countries are common, the last (Iceland) rare. */
export const COUNTRIES = [
  "United States",
  "Germany",
  "France",
  "United Kingdom",
  "Spain",
  "Netherlands",
  "Italy",
  "Sweden",
  "Poland",
  "Canada",
  "Brazil",
  "Japan",
  "India",
  "Denmark",
  "Norway",
  "Finland",
  "Austria",
  "Switzerland",
  "Belgium",
  "Portugal",
  "Ireland",
  "Mexico",
  "Australia",
  "Czechia",
  "Hungary",
  "Greece",
  "Romania",
  "Turkey",
  "Estonia",
  "Iceland",
];

const lit = (values: readonly string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]::text[]`;

/** `h(g, k)`: a deterministic pseudo-random integer in [0, 2^31) per row g and purpose k. */
const h = (k: number) => `(hashint8(g::bigint * 1000 + ${k}) & 2147483647)`;

/** A workspace with an admin, a manager, `reps` sales reps and, after them, the `others` asked for (e.g. an analyst). */
export async function createBenchWorkspace(
  sql: postgres.Sql,
  name: string,
  slug: string,
  reps: number,
  others: { role: "manager" | "sales_rep" | "analyst" | "viewer"; fullName: string }[] = [],
): Promise<BenchWorkspace> {
  const [ws] = await sql<{ id: string }[]>`insert into public.workspaces (name, slug) values (${name}, ${slug}) returning id`;
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const memberIds: string[] = [];
  const people = [
    { role: "admin", fullName: `Admin ${name}` },
    { role: "manager", fullName: `Manager ${name}` },
    ...Array.from({ length: reps }, (_, i) => ({
      role: "sales_rep",
      fullName: `${FIRST[(i * 7) % FIRST.length]} ${LAST[(i * 3) % LAST.length]}`,
    })),
    ...others,
  ];
  let repId = "";
  let repEmail = "";
  for (const [i, person] of people.entries()) {
    const email = `${person.role.replace("_", "-")}${i}@${slug}.test`;
    const [user] = await sql<{ id: string }[]>`
      insert into auth.users (aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
      values ('authenticated', 'authenticated', ${email}, ${passwordHash}, now(), ${sql.json({ provider: "email", providers: ["email"] })},
        ${sql.json({ full_name: person.fullName })})
      returning id`;
    await sql`insert into public.profiles (id, email, full_name) values (${user!.id}, ${email}, ${person.fullName})`;
    await sql`insert into public.workspace_members (workspace_id, user_id, role) values (${ws!.id}, ${user!.id}, ${person.role}::public.workspace_role)`;
    memberIds.push(user!.id);
    if (person.role === "sales_rep" && !repId) {
      repId = user!.id;
      repEmail = email;
    }
  }
  return { id: ws!.id, repId, repEmail, memberIds };
}

export async function insertCompanies(sql: postgres.Sql, workspaceId: string, count: number): Promise<void> {
  await sql.unsafe(`
    insert into public.companies (workspace_id, name, domain, industry, employee_count, country, created_at, updated_at)
    select '${workspaceId}',
      (${lit(COMPANY_A)})[1 + ${h(1)} % ${COMPANY_A.length}] || ' ' || (${lit(COMPANY_B)})[1 + ${h(2)} % ${COMPANY_B.length}]
        || case when g % 3 = 0 then ' ' || g else '' end,
      'c' || g || '-' || substr('${workspaceId}', 1, 8) || '.example.com',
      (${lit(INDUSTRIES)})[1 + ${h(3)} % ${INDUSTRIES.length}],
      -- Company sizes spread over orders of magnitude: 1 to ~100,000 employees.
      floor(exp((${h(4)} % 1000) / 1000.0 * ln(100000)))::int,
      (${lit(COUNTRIES)})[1 + floor(${COUNTRIES.length} * power((${h(5)} % 100000) / 100000.0, 2))::int],
      now() - (${h(6)} % (3 * 365 * 86400)) * interval '1 second', now()
    from generate_series(1, ${count}) g`);
  // Their count rows, which the companies' insert trigger makes (migration 0091): callers load with triggers off.
  await sql.unsafe(`insert into public.company_lead_counts (company_id, workspace_id)
    select id, workspace_id from public.companies where workspace_id = '${workspaceId}' on conflict do nothing`);
}

export async function insertLeads(sql: postgres.Sql, ws: BenchWorkspace, count: number): Promise<void> {
  const companyTable = `bench_companies_${ws.id.slice(0, 8)}`;
  await sql.unsafe(`create temp table ${companyTable} as
    select row_number() over (order by id) as n, id, name, domain from public.companies where workspace_id = '${ws.id}'`);
  await sql.unsafe(`create index on ${companyTable} (n)`);
  const [{ n: companies } = { n: 0 }] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${companyTable}`);
  const members = lit(ws.memberIds);
  // Status weights: new 40, contacted 25, replied 8, interested 5, meeting 3, won 2, lost 10, unsubscribed 4, bounced 3.
  const status = `case when s < 40 then 'new' when s < 65 then 'contacted' when s < 73 then 'replied' when s < 78 then 'interested'
    when s < 81 then 'meeting' when s < 83 then 'won' when s < 93 then 'lost' when s < 97 then 'unsubscribed' else 'bounced' end`;
  const accents = ["ÅåÄäÁáÀàÂâÉéÈèÊêËëÍíÓóÖöØøÚúÜüÑñÇçŁłŻżŚśĆćŠšŽžĘęŃńÝý", "AaAaAaAaAaEeEeEeEeIiOoOoOoUuUuNnCcLlZzSsCcSsZzEeNnYy"];
  const ascii = (expr: string) => `lower(regexp_replace(translate(${expr}, '${accents[0]}', '${accents[1]}'), '[^A-Za-z]', '', 'g'))`;
  await sql.unsafe(`
    insert into public.leads (workspace_id, first_name, last_name, email, email_status, title, country, company_id, company_name,
      owner_id, status, score, source, tags, last_activity_at, created_at, updated_at)
    select '${ws.id}', fn, ln,
      case when ${h(10)} % 20 = 0 then null else ${ascii("fn")} || '.' || ${ascii("ln")} || g || '@' || coalesce(c.domain, 'mail' || (g % 997) || '.test') end,
      (array['unknown','valid','valid','risky','invalid','unknown','valid','unknown'])[1 + ${h(11)} % 8]::public.email_status,
      (${lit(TITLES)})[1 + ${h(12)} % ${TITLES.length}],
      (${lit(COUNTRIES)})[1 + floor(${COUNTRIES.length} * power((${h(13)} % 100000) / 100000.0, 2))::int],
      c.id, c.name,
      case when ${h(14)} % 5 = 0 then null else (${members})[3 + ${h(15)} % ${ws.memberIds.length - 2}]::uuid end,
      (${status})::public.lead_status,
      ${h(16)} % 101,
      (array['manual','csv','csv','apollo','apollo','phantombuster','instantly'])[1 + ${h(17)} % 7]::public.lead_source,
      array_remove(array[
        case when ${h(18)} % 5 = 0 then 'vip' end, case when ${h(19)} % 7 = 0 then 'fintech' end,
        case when ${h(20)} % 11 = 0 then 'webinar-2026' end, case when ${h(21)} % 13 = 0 then 'champion' end,
        case when ${h(22)} % 200 = 0 then 'conference-berlin' end], null),
      case when ${h(23)} % 10 < 3 then null else now() - (${h(24)} % (365 * 86400)) * interval '1 second' end,
      created, created
    from (
      select g, (${lit(FIRST)})[1 + ${h(30)} % ${FIRST.length}] as fn, (${lit(LAST)})[1 + ${h(31)} % ${LAST.length}] as ln,
        ${h(32)} % 100 as s,
        -- Half the leads came in imports of 1,000 sharing one creation time: ties in the default sort.
        case when g % 2 = 0 then timestamptz '2024-01-01 09:00+00' + (g / 2000) * interval '1 hour'
             else now() - (${h(33)} % (3 * 365 * 86400)) * interval '1 second' end as created,
        case when ${h(34)} % 10 = 0 then null else 1 + ${h(35)} % ${companies} end as company_n
      from generate_series(1, ${count}) g
    ) r
    left join ${companyTable} c on c.n = r.company_n`);
}

/** The leads' indexes other than the primary key and the (workspace_id, id) constraint, to drop before a load. */
export function dropLeadIndexes(sql: postgres.Sql): Promise<string[]> {
  return dropSecondaryIndexes(sql, "public.leads");
}

/** A table's indexes that back no constraint (primary key, unique keys stay), dropped; returns their definitions to build them again. */
export async function dropSecondaryIndexes(sql: postgres.Sql, table: string): Promise<string[]> {
  const rows = await sql<{ name: string; def: string }[]>`
    select i.relname as name, pg_get_indexdef(i.oid) as def
    from pg_index x join pg_class i on i.oid = x.indexrelid
    where x.indrelid = ${table}::regclass and not exists (select 1 from pg_constraint c where c.conindid = i.oid)`;
  for (const r of rows) await sql.unsafe(`drop index public."${r.name}"`);
  return rows.map((r) => r.def);
}

/** The data bench:leads and bench:api measure on, as loadBenchLeads left it (kept with BENCH_KEEP_DATA). */
export type LoadedBenchLeads = {
  a: BenchWorkspace;
  b: { name: string; leads: number; id: string };
  leads: number;
  companies: number;
};

/** The kept data of a previous run (its `loaded.json`), when it is there and of the size asked for. */
export async function readLoaded(file: string, leads: number, companies: number): Promise<LoadedBenchLeads | null> {
  try {
    const loaded = JSON.parse(await readFile(file, "utf8")) as LoadedBenchLeads;
    return loaded.leads === leads && loaded.companies === companies ? loaded : null;
  } catch {
    return null;
  }
}

/**
 * Two workspaces of `leads` leads each (Bench Acme, measured, with `companies` companies; Bench
 * Globex, never read, with a tenth of them), the leads' indexes dropped for the load and built
 * after it, then VACUUM ANALYZE.
 */
export async function loadBenchLeads(
  sql: postgres.Sql,
  { leads: LEADS, companies: COMPANIES }: { leads: number; companies: number },
): Promise<LoadedBenchLeads> {
  const t0 = performance.now();
  const a = await createBenchWorkspace(sql, "Bench Acme", "bench-acme", 10);
  const b = await createBenchWorkspace(sql, "Bench Globex", "bench-globex", 10);
  const conn = await sql.reserve();
  try {
    await conn`set maintenance_work_mem = '1GB'`;
    await conn`set max_parallel_maintenance_workers = 1`;
    const indexes = await dropLeadIndexes(conn);
    await conn`set session_replication_role = replica`;
    await insertCompanies(conn, a.id, COMPANIES);
    await insertCompanies(conn, b.id, Math.max(1, Math.round(COMPANIES / 10)));
    const tCompanies = performance.now();
    await insertLeads(conn, a, LEADS);
    await insertLeads(conn, b, LEADS);
    await conn`set session_replication_role = origin`;
    const tLeads = performance.now();
    console.log(
      `Loaded ${COMPANIES.toLocaleString()} + ${Math.round(COMPANIES / 10).toLocaleString()} companies in ${s(tCompanies - t0)}, ` +
        `${(2 * LEADS).toLocaleString()} leads in ${s(tLeads - tCompanies)}`,
    );
    const builds: [string, number][] = [];
    for (const def of indexes) {
      const t = performance.now();
      await conn.unsafe(def);
      builds.push([def.match(/INDEX (\S+)/)?.[1] ?? def, performance.now() - t]);
    }
    const tIndexes = performance.now();
    console.log(
      `Built ${builds.length} lead indexes in ${s(tIndexes - tLeads)} (slowest: ${builds
        .sort((x, y) => y[1] - x[1])
        .slice(0, 3)
        .map(([n, ms]) => `${n} ${s(ms)}`)
        .join(", ")})`,
    );
    await conn`vacuum analyze public.leads`;
    await conn`vacuum analyze public.companies`;
    const [size] = await conn<{ table: string; indexes: string }[]>`
      select pg_size_pretty(pg_table_size('public.leads')) as table, pg_size_pretty(pg_indexes_size('public.leads')) as indexes`;
    console.log(`VACUUM ANALYZE done; data ready in ${s(performance.now() - t0)} (leads: table ${size!.table}, indexes ${size!.indexes})`);
  } finally {
    conn.release();
  }
  return { a, b: { name: "Bench Globex", leads: LEADS, id: b.id }, leads: LEADS, companies: COMPANIES };
}

export type BenchLeadsDb = { url: string; sql: postgres.Sql; loaded: LoadedBenchLeads; close: () => Promise<void> };

/**
 * The embedded PostgreSQL of bench:leads and bench:api in `dataDir`, migrated, with
 * loadBenchLeads's data: loaded now, or, with `keep`, reused from the last run when it is of the
 * size asked for (a kept cluster is durable, so it runs with the app's settings; otherwise
 * PostgreSQL's defaults, fsync off, and the data is removed on close).
 */
export async function openBenchLeadsDb(o: {
  dataDir: string;
  port: number;
  keep: boolean;
  leads: number;
  companies: number;
}): Promise<BenchLeadsDb> {
  const loadedFile = path.join(o.dataDir, "loaded.json");
  const kept = o.keep ? await readLoaded(loadedFile, o.leads, o.companies) : null;
  if (!kept) await rm(o.dataDir, { recursive: true, force: true });
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(o.dataDir, "postgres"),
    port: o.port,
    database: "lip",
    ephemeral: !o.keep,
    // BENCH_PROFILE=1's statistics and BENCH_PG_SETTINGS, as bench:campaign takes them.
    settings: { ...profileSettings(), ...benchPgSettings() },
  });
  const sql = openPostgres(cluster.url, { max: 4, onnotice: () => {}, prepare: false });
  // Also on a signal, the load of a million leads (minutes) included.
  const close = cleanUpOnce(async () => {
    await sql.end({ timeout: 5 });
    await closeAllPools();
    await cluster.stop();
    if (!o.keep) await rm(o.dataDir, { recursive: true, force: true });
  });
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
    const settings = o.keep ? "the app's settings" : "PostgreSQL's default settings, fsync off";
    console.log(`PostgreSQL 18 (embedded, ${settings}) on port ${o.port}; ${os.cpus().length} CPUs; load average ${loadAverage()}.`);
    let loaded = kept;
    if (loaded) {
      console.log(`Reusing the data kept in ${o.dataDir} (${(2 * loaded.leads).toLocaleString()} leads).`);
      await sql`analyze public.leads`;
    } else {
      loaded = await loadBenchLeads(sql, { leads: o.leads, companies: o.companies });
      if (o.keep) await writeFile(loadedFile, JSON.stringify(loaded));
    }
    return { url: cluster.url, sql, loaded, close };
  } catch (error) {
    await close();
    throw error;
  }
}
