import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { connect } from "@/db/client";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { mapRow } from "./map-row";
import * as M from "./merge-sql";
import { missingRowLine, STAGE_COLUMNS, STAGE_TABLE_SQL, stageLine } from "./stage-rows";
import { ZImportMapping, ZImportRules, type ImportRules } from "./types";
import type { ImportStatus } from "@/db/schema/lead-import-enums";

export type ImportJobRef = { workspaceId: string; importId: string; requestedBy: string };
export type ImportBatchResult = { status: ImportStatus; processedRows: number; totalRows: number };

/** Rows per batch (a step of the job): large enough that the fixed cost of a batch fades. */
export const IMPORT_BATCH_SIZE = 10_000;
/**
 * Rows read from the upload, mapped and sent to the batch's COPY at a time: few enough that
 * they die young. A slice allocates ~7 KB per row and V8 promotes what is still live two
 * young-generation collections later; at 1,000 rows a slice's rows outlived them and its
 * 600 KB line string went straight to the large-object space, and the old generation grew
 * ~20 MB per batch until a full collection. At 250 it stays flat.
 */
export const STAGE_READ_ROWS = 250;

const OWNER_ROLES: readonly WorkspaceRole[] = ["admin", "manager", "sales_rep"];

type ImportRow = {
  status: ImportStatus;
  file_name: string;
  preset: string | null;
  source: string;
  sandbox: boolean;
  headers: string[];
  total_rows: number;
  processed_rows: number;
  /** New leads the import made so far: where the owners' turn (round robin) goes on from. */
  inserted: number;
  mapping: unknown;
  rules: unknown;
};

/** The class of the advisory locks (two-key form) that let one batch of an import run at a time. */
const IMPORT_BATCH_LOCK = 0x1e_ad_1b;

export type ImportBatchHooks = {
  /** For tests: runs with the batch's leads, companies and issues written, before its counts and cursor. */
  afterWrites?: () => Promise<void>;
  /** For the fault-injection test: runs with every write of the batch done, before COMMIT. */
  beforeCommit?: () => Promise<void>;
};

/**
 * Processes the next batch of an import's rows, in row_number order from its cursor, in ONE
 * transaction on the service connection (DESIGN.md §5: jobs scope by workspace_id
 * themselves; RLS would also turn `ON CONFLICT` on a hidden row into an error). The batch's
 * leads, companies, timeline entries, issues, counts and the cursor commit together, so a
 * batch killed at any moment is redone from the same cursor and a committed one is never
 * redone. The requester's right to import is read again first: losing it stops the import.
 *
 * Batches of one import take turns on an advisory lock, not on the import's row: a pause or
 * cancel (control-import.ts) locks that row to change its status and must answer at once, not
 * after the batch in progress. It takes effect at the batch's end: the cursor update keeps a
 * status set meanwhile, and the job stops there.
 */
export async function runImportBatch(
  ref: ImportJobRef,
  batchSize = IMPORT_BATCH_SIZE,
  hooks: ImportBatchHooks = {},
): Promise<ImportBatchResult> {
  const { sql } = connect(env().DATABASE_URL);
  return (await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${IMPORT_BATCH_LOCK}, hashtext(${ref.importId}))`;
    const [imp] = await tx<ImportRow[]>`
      select status, file_name, preset, source, sandbox, headers, total_rows, processed_rows, inserted, mapping, rules from public.lead_imports
      where id = ${ref.importId} and workspace_id = ${ref.workspaceId}`;
    if (!imp) throw new Error(`Import ${ref.importId} not found in workspace ${ref.workspaceId}.`);
    const result = (status: ImportStatus, processedRows = imp.processed_rows) => ({ status, processedRows, totalRows: imp.total_rows });
    if (imp.status !== "queued" && imp.status !== "running") return result(imp.status);

    const stop = async (error: string) => {
      await tx`update public.lead_imports set status = 'failed', error = ${error}, finished_at = now(), updated_at = now()
        where id = ${ref.importId} and workspace_id = ${ref.workspaceId}`;
      return result("failed");
    };
    const [member] = await tx<{ role: WorkspaceRole }[]>`
      select role from public.workspace_members where workspace_id = ${ref.workspaceId} and user_id = ${ref.requestedBy}`;
    if (!member || !can(member.role, "imports.run"))
      return stop("Stopped: the person who started this import may no longer import leads here.");
    const mapping = ZImportMapping.parse(imp.mapping);
    const rules = ZImportRules.parse(imp.rules);
    const owners = await ownersOf(tx, ref, rules, member.role);
    if (owners === null) return stop("Stopped: the chosen owners are no longer members who can own leads here. Start a new import.");

    const from = imp.processed_rows + 1;
    const to = Math.min(imp.processed_rows + batchSize, imp.total_rows);
    // Rows the upload could not parse already have their issue (malformed, unclosed quote).
    const parsed = await tx<{ row_number: number; outcome: "skipped" | "failed" }[]>`
      select row_number, outcome from public.lead_import_issues
      where import_id = ${ref.importId} and row_number between ${from} and ${to}`;
    const settled = new Map(parsed.map((r) => [r.row_number, r.outcome]));

    // The batch's rows stream into ONE COPY a slice at a time, each slice read, mapped and
    // written before the next is read: what the job holds is a slice's rows and lines, which
    // die young. Holding the whole batch's lines until the COPY (8 MB of text in thousands of
    // pieces) moved them to the old generation batch after batch, where they waited for a full
    // collection: the launcher, which runs the job, peaked at 300 MB, 125 MB above its resting
    // size (bench:import). The reads cannot share the transaction's connection with
    // the COPY under way, and a COPY per slice waits ~40 ms each on Nagle's algorithm (the
    // driver leaves TCP_NODELAY off); they take a connection of importRowsPool.
    const staged = stagedLines(ref.importId, from, to, (rn, fields) => {
      if (settled.has(rn)) return "";
      return fields ? stageLine(rn, mapRow(fields, mapping, imp.headers)) : missingRowLine(rn);
    });
    // Where the leads came from, on the leads and their timeline: a file (csv), an agent's result
    // (phantombuster: the import's source), or Apollo's search (the apollo_api preset).
    const source = imp.preset === "apollo_api" ? "apollo" : imp.source;
    const merged = await mergeStagedRows(
      tx,
      {
        workspaceId: ref.workspaceId,
        importId: ref.importId,
        requestedBy: ref.requestedBy,
        fileName: imp.file_name,
        source,
        sandbox: imp.sandbox,
        rules,
        owners: { ids: owners, given: imp.inserted },
        repOnly: member.role === "sales_rep" ? ref.requestedBy : null,
        laterBatches: to < imp.total_rows,
      },
      staged,
    );
    const { counts } = merged;
    for (const outcome of settled.values()) counts[outcome] += 1;

    await hooks.afterWrites?.();
    const done = to >= imp.total_rows;
    // A pause, a cancel or a failure recorded while this batch ran stays (the rows of the batch
    // count all the same): a job run cancelled on the Jobs page marks the import failed at once
    // (record-cancelled-run), and no batch follows to undo a "running" written here. A batch
    // that finished the file completes it whatever was asked.
    const [updated] = await tx<{ status: ImportStatus }[]>`
      update public.lead_imports set
        processed_rows = ${to}, inserted = inserted + ${counts.inserted}, updated = updated + ${counts.updated},
        skipped = skipped + ${counts.skipped}, failed = failed + ${counts.failed},
        companies_created = companies_created + ${merged.companiesCreated},
        status = ${done ? tx`'completed'` : tx`case when status in ('paused', 'cancelled', 'failed') then status else 'running' end`},
        started_at = coalesce(started_at, now()),
        -- The end of this batch's work, not the start of its transaction: a one-batch import took more than 0 s.
        finished_at = ${done ? tx`clock_timestamp()` : tx`case when status in ('cancelled', 'failed') then finished_at end`}, updated_at = now(),
        -- A pause asked for while this batch finished the file never took effect.
        paused_at = ${done ? tx`null` : tx`paused_at`}
      where id = ${ref.importId} and workspace_id = ${ref.workspaceId}
      returning status`;
    await hooks.beforeCommit?.();
    return result(updated!.status, to);
  })) as ImportBatchResult;
}

export type MergePlan = {
  workspaceId: string;
  /** The import the rows belong to: its issues, its remembered leads and the timeline entries name it. */
  importId: string;
  requestedBy: string;
  fileName: string;
  source: string;
  /** The import came from a vendor's sandbox: its leads (sample_data) and timeline entries say they hold sample data. */
  sandbox?: boolean;
  rules: ImportRules;
  /** The owners new leads go to in turn (empty: unassigned), and how many new leads the import gave out before these rows. */
  owners: { ids: string[]; given: number };
  /** The requester when they may only change their own or unassigned leads (a sales rep). */
  repOnly: string | null;
  /**
   * Whether the leads reached are remembered for the import's later batches (its duplicates
   * across batches). False for a merge that is the whole import (the API's bulk upsert): its
   * duplicates are all in the rows at hand.
   */
  laterBatches: boolean;
};

export type MergeCounts = { inserted: number; updated: number; skipped: number; failed: number };

/**
 * Stages rows (COPY lines of stage-rows.ts, in row order) into `import_stage` and merges them
 * into the workspace's leads and companies with the import's rules: matching by email, Apollo
 * id and LinkedIn URL, duplicates within the rows and with the import's earlier rows, companies
 * by domain (or by name), timeline entries and the issues of skipped and failed rows. The one
 * dedupe of the product: a CSV import's batches and the API's bulk upsert both merge here. Runs
 * in the caller's transaction on the service connection (the caller checked the right to
 * import); `import_stage` keeps each row's outcome and lead until that transaction ends.
 */
export async function mergeStagedRows(
  tx: postgres.TransactionSql,
  plan: MergePlan,
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<{ counts: MergeCounts; companiesCreated: number }> {
  // The rows stream into ONE COPY a slice at a time, each slice read, mapped and written before
  // the next is read (see runImportBatch): a COPY per slice waits ~40 ms each on Nagle's algorithm.
  await tx.unsafe(STAGE_TABLE_SQL);
  const copy = await tx.unsafe(`copy import_stage (${STAGE_COLUMNS.join(", ")}) from stdin`).writable();
  // One slice read ahead at most (a stream of strings buffers 16 by default).
  await pipeline(Readable.from(lines, { highWaterMark: 1 }), copy);

  const { workspaceId: ws, importId: id, rules } = plan;
  // The row count, and the columns the statements join or group on: all 38 columns took
  // 120 ms of a 10,000-row batch, these 75 ms (the others are only carried to the rows they land in).
  await tx.unsafe("analyze import_stage (rn, outcome, email_key, apollo_id, linkedin_url, company_domain, company_name)");
  await tx.unsafe(M.STAGE_KEYS_SQL);
  await tx.unsafe(M.MARK_KEY_DUPLICATES_SQL);
  await tx.unsafe(M.MATCH_SQL, [ws]);
  await tx.unsafe(M.CHOOSE_LEAD_SQL);
  await tx.unsafe(M.MARK_LEAD_DUPLICATES_SQL, [id]);
  await tx.unsafe(M.CLASSIFY_SQL, [ws, rules.onMatch, plan.repOnly]);
  await tx.unsafe(M.MARK_INSERTS_SQL);
  if (plan.laterBatches) await tx.unsafe(M.REMEMBER_LEADS_SQL, [ws, id]);
  const sandbox = plan.sandbox ?? false;
  const [companies] = await tx.unsafe<{ created: number }[]>(M.COMPANIES_SQL, [ws, rules.onMatch, sandbox]);
  if (rules.onMatch !== "skip") await tx.unsafe(M.updateCompaniesSql(rules.onMatch), [ws]);
  await tx.unsafe(M.LINK_COMPANIES_SQL, [ws]);
  const [named] = await tx.unsafe<{ created: number }[]>(M.NAMED_COMPANIES_SQL, [ws, rules.onMatch, sandbox]);
  await tx.unsafe(M.LINK_NAMED_COMPANIES_SQL, [ws]);
  await tx.unsafe(M.INSERT_LEADS_SQL, [ws, plan.requestedBy, rules.tags, plan.source, sandbox, plan.owners.ids, plan.owners.given]);
  await tx.unsafe(M.COUNT_COMPANY_LEADS_SQL);
  if (rules.onMatch !== "skip") await tx.unsafe(M.updateLeadsSql(rules.onMatch), [ws, rules.tags, sandbox]);
  await tx.unsafe(M.SETTLE_LEFTOVERS_SQL);
  await tx.unsafe(M.ACTIVITIES_SQL, [ws, id, plan.requestedBy, plan.fileName, plan.source, sandbox]);
  await tx.unsafe(M.ISSUES_SQL, [ws, id]);

  const counts: MergeCounts = { inserted: 0, updated: 0, skipped: 0, failed: 0 };
  for (const { outcome, n } of await tx.unsafe<{ outcome: keyof MergeCounts; n: number }[]>(M.COUNT_OUTCOMES_SQL)) counts[outcome] += n;
  return { counts, companiesCreated: (companies?.created ?? 0) + (named?.created ?? 0) };
}

/**
 * The uploaded rows of an import are read on a pool of their own while a batch's transaction
 * holds its connection for the COPY: a second connection borrowed from the pool the batch
 * came from could wait forever once every connection is held by a batch waiting the same
 * way. Two connections: reads are short, and a batch waits for one only while PostgreSQL
 * takes the slice before. The rows never change once uploaded, so reading them outside the
 * batch's transaction reads the same rows.
 */
const importRowsPool = () => connect(env().DATABASE_URL, { purpose: "import rows", max: 2 }).sql;

/**
 * The staging lines of the rows `from`..`to` of an import, in row order, a slice of
 * STAGE_READ_ROWS rows per string (`line` gets null fields for a row the upload did not store).
 */
export async function* stagedLines(
  importId: string,
  from: number,
  to: number,
  line: (rn: number, fields: string[] | null) => string,
): AsyncGenerator<string> {
  const sql = importRowsPool();
  for (let start = from; start <= to; start += STAGE_READ_ROWS) {
    const end = Math.min(start + STAGE_READ_ROWS - 1, to);
    // Built in a function of its own: a generator keeps the variables of the block it yields
    // from, so rows fetched in this loop's body stayed reachable while it waited at the yield
    // for the COPY to take the slice before. Held that long, the fetched row strings (about
    // 60 % of what survived to the old generation) were promoted, and the old generation grew
    // until a full collection: bench:import, 1,000,000 rows, peaked at 323-329 MB in the
    // launcher (which runs the job) with the rows kept, 248 MB without, and the job took
    // 478-526 s instead of 410 s (less collection on the thread that maps the rows).
    const lines = await sliceLines(sql, importId, start, end, line);
    if (lines !== "") yield lines;
  }
}

/**
 * The lines of the rows `start`..`end`, read as JSON text and parsed row by row as each is
 * mapped: the driver's text[] parser builds each quoted value a character at a time (a quarter
 * of what a batch allocated), and a slice of parsed rows (~40 strings each) lives while the
 * slice is received, long enough for half of it to be promoted; one string per row halves
 * what the old generation takes per batch.
 */
async function sliceLines(
  sql: postgres.Sql,
  importId: string,
  start: number,
  end: number,
  line: (rn: number, fields: string[] | null) => string,
): Promise<string> {
  const rows = await sql<{ row_number: number; fields: string }[]>`
    select row_number, to_json(fields)::text as fields from public.lead_import_rows
    where import_id = ${importId} and row_number between ${start} and ${end} order by row_number`;
  let lines = "";
  let next = 0;
  for (let rn = start; rn <= end; rn++) {
    const row = rows[next]?.row_number === rn ? rows[next++] : undefined;
    lines += line(rn, row ? (JSON.parse(row.fields) as string[]) : null);
  }
  return lines;
}

/**
 * The owners new leads get, in round-robin order, as members now: someone removed or
 * demoted to a role that cannot own leads is left out; a sales rep gives leads only to
 * themselves. Null when the rule names owners and none is left.
 */
export async function ownersOf(
  tx: postgres.TransactionSql,
  ref: ImportJobRef,
  rules: ImportRules,
  role: WorkspaceRole,
): Promise<string[] | null> {
  const wanted = rules.owner.kind === "none" ? [] : rules.owner.kind === "member" ? [rules.owner.userId] : rules.owner.userIds;
  if (wanted.length === 0) return [];
  const members = await tx<{ user_id: string }[]>`
    select user_id from public.workspace_members
    where workspace_id = ${ref.workspaceId} and user_id in ${tx(wanted)} and role in ${tx(OWNER_ROLES as WorkspaceRole[])}`;
  const allowed = new Set(members.map((m) => m.user_id).filter((u) => role !== "sales_rep" || u === ref.requestedBy));
  const owners = wanted.filter((u) => allowed.has(u));
  return owners.length > 0 ? owners : null;
}

/** After the job gave up (retries exhausted): the import says so instead of running forever. */
export async function markImportFailed(ref: ImportJobRef, message: string): Promise<void> {
  const { sql } = connect(env().DATABASE_URL);
  await sql`update public.lead_imports set status = 'failed', error = ${message}, finished_at = now(), updated_at = now()
    where id = ${ref.importId} and workspace_id = ${ref.workspaceId} and status in ('queued', 'running')`;
}

/** Once an import has ended, the identities it remembered for in-file duplicates are no longer needed. */
export async function forgetImportKeys(ref: ImportJobRef): Promise<void> {
  const { sql } = connect(env().DATABASE_URL);
  await sql`delete from public.lead_import_keys k using public.lead_imports i
    where k.import_id = ${ref.importId} and k.workspace_id = ${ref.workspaceId}
      and i.id = k.import_id and i.status in ('completed', 'failed', 'cancelled')`;
}
