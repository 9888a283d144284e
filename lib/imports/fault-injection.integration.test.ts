import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { createTestImport } from "@/tests/fixtures/imports";
import { insertTestLead } from "@/tests/fixtures/leads";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyWorkspace } from "@/tests/fixtures/tenancy";
import { runImportBatch, type ImportJobRef } from "./run-import-batch";
import type { ColumnTarget, ImportMapping, ImportRules, ImportTarget } from "./types";

/**
 * Crash safety of an import: a child process runs its batches and is SIGKILLed at random
 * moments (mid-batch: inside the transaction, during the COPY, or while committing), and every
 * third time exactly when a batch has written everything but not committed; then a fresh
 * child resumes it, at least ten times in all. The end state must equal a clean run of the same
 * file into an identical workspace: the same leads with the same values, companies, issues and
 * counts, one timeline entry per written lead — no row duplicated or lost.
 */

const WORKER = path.resolve(import.meta.dirname, "testing/import-worker.ts");
const ROWS = 4_000;
const BATCH = 100;
const MIN_KILLS = 10;

const f = (field: ImportTarget): ColumnTarget => ({ kind: "field", field });
const HEADERS = ["First Name", "Last Name", "Email", "Person Linkedin Url", "Title", "Website", "Tags"];
const MAPPING: ImportMapping = {
  columns: [f("first_name"), f("last_name"), f("email"), f("linkedin_url"), f("title"), f("company_website"), f("tags")],
};

/** A messy file: duplicates across batches, invalid rows, blank rows, rows matching existing leads. */
function messyFile(): string[][] {
  return Array.from({ length: ROWS }, (_, i) => {
    if (i % 97 === 5) return ["", "", "", "", "", "", ""];
    if (i % 31 === 7) return ["Bad", `${i}`, `bad-${i}(at)example.io`, "", "", "", ""];
    const n = i % 53 === 11 ? i - 250 : i; // a duplicate of a row two or three batches earlier
    const email = i % 41 === 3 ? ` EXISTING.${n % 200}@Corp${n % 7}.io ` : `p${n}@corp${n % 7}.io`;
    return [
      `Zoë ${n}`,
      `Núñez`,
      email,
      i % 5 === 0 ? `linkedin.com/in/p-${n}` : "",
      `Title ${i}`,
      `https://corp${n % 7}.io`,
      `t${i % 3}; fair`,
    ];
  });
}

type Worker = { process: ChildProcess; messages: unknown[]; waiters: ((m: unknown) => void)[] };

function spawnWorker(): Promise<Worker> {
  const worker: Worker = {
    process: fork(WORKER, [], {
      execArgv: ["--conditions=react-server", "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
    messages: [],
    waiters: [],
  };
  worker.process.on("message", (m) => {
    const waiter = worker.waiters.shift();
    if (waiter) waiter(m);
    else worker.messages.push(m);
  });
  return nextMessage(worker, 60_000).then(() => worker);
}

function nextMessage(worker: Worker, timeoutMs: number): Promise<unknown> {
  const queued = worker.messages.shift();
  if (queued !== undefined) return Promise.resolve(queued);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the worker did not report in time")), timeoutMs);
    worker.waiters.push((m) => {
      clearTimeout(timer);
      resolve(m);
    });
  });
}

async function waitForStall(worker: Worker): Promise<void> {
  for (;;) {
    const message = (await nextMessage(worker, 120_000)) as { stalled?: boolean };
    if (message.stalled) return;
  }
}

/**
 * Resolves once the worker has committed `batches` more batches (never, once it reports the
 * import done). Kill moments count from the import's own progress, not the clock: a clock
 * delay longer than what was left of the import let a fast machine finish it with fewer than
 * MIN_KILLS kills.
 */
async function afterBatches(worker: Worker, batches: number): Promise<void> {
  for (let seen = 0; seen < batches;) {
    const message = (await nextMessage(worker, 120_000)) as { batch?: number; done?: string };
    if (message.done) await new Promise(() => {});
    if (message.batch !== undefined) seen++;
  }
}

let fx: TenancyFixture;
const spare: Promise<Worker>[] = [];
const alive = new Set<ChildProcess>();

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  spare.push(spawnWorker());
});

afterAll(async () => {
  for (const p of spare.splice(0)) alive.add((await p.catch(() => null))?.process as ChildProcess);
  for (const child of alive) if (child && child.exitCode === null) child.kill("SIGKILL");
  await removeTenancyFixture(fx, serviceDb());
});

async function prepare(ws: TenancyWorkspace): Promise<ImportJobRef> {
  for (let n = 0; n < 200; n += 3) {
    await insertTestLead(ws, {
      firstName: `Existing ${n}`,
      lastName: "Existing",
      email: `existing.${n}@corp${n % 7}.io`,
      title: n % 2 ? null : "Old",
    });
  }
  const rules: ImportRules = {
    onMatch: "fill_empty",
    owner: { kind: "round_robin", userIds: [ws.members.manager.id, ws.members.sales_rep.id] },
    tags: ["imported"],
  };
  const importId = await createTestImport({
    workspaceId: ws.id,
    createdBy: ws.members.manager.id,
    headers: HEADERS,
    rows: messyFile(),
    issues: [{ row: 12, outcome: "failed", reason: "malformed_row", detail: "Row has 9 fields, the header 7." }],
    start: { mapping: MAPPING, rules },
  });
  return { workspaceId: ws.id, importId, requestedBy: ws.members.manager.id };
}

/** Everything the import decided, without ids and times (which differ between workspaces). */
async function stateOf(ws: TenancyWorkspace, importId: string) {
  const roles = new Map(Object.values(ws.members).map((m) => [m.id, m.role]));
  const leads = await serviceDb().execute<Record<string, unknown> & { owner_id: string | null }>(sql`
    select l.first_name, l.last_name, l.email, l.linkedin_url, l.title, l.tags, l.source::text, l.owner_id, c.domain as company,
      (select count(*)::int from public.lead_activities a where a.lead_id = l.id and a.type = 'imported') as imported_entries,
      l.last_activity_at is not distinct from (select max(a.created_at) from public.lead_activities a where a.lead_id = l.id) as activity_in_step
    from public.leads l left join public.companies c on c.id = l.company_id
    where l.workspace_id = ${ws.id} order by lower(l.email), l.linkedin_url`);
  const companies = await serviceDb().execute(sql`
    select c.name, c.domain, k.lead_count from public.companies c left join public.company_lead_counts k on k.company_id = c.id
    where c.workspace_id = ${ws.id} order by c.domain`);
  const issues = await serviceDb().execute(sql`
    select row_number, outcome::text, reason, detail from public.lead_import_issues where import_id = ${importId} order by row_number`);
  const [counts] = await serviceDb().execute(sql`
    select status::text, processed_rows, total_rows, inserted, updated, skipped, failed, companies_created
    from public.lead_imports where id = ${importId}`);
  return {
    leads: leads.map(({ owner_id, ...rest }) => ({ ...rest, owner: owner_id ? roles.get(owner_id) : null })),
    companies: [...companies],
    issues: [...issues],
    counts,
  };
}

describe("an import killed mid-batch again and again", () => {
  it(`ends, after at least ${MIN_KILLS} SIGKILLs and resumes, in exactly the state of a clean run`, { timeout: 600_000 }, async () => {
    const clean = await prepare(fx.a);
    for (;;) if ((await runImportBatch(clean, BATCH)).status !== "running") break;
    const expected = await stateOf(fx.a, clean.importId);
    expect(expected.counts).toMatchObject({ status: "completed", processed_rows: ROWS });
    const c = expected.counts as { inserted: number; updated: number; skipped: number; failed: number };
    expect(c.inserted + c.updated + c.skipped + c.failed).toBe(ROWS);
    expect(c.updated).toBeGreaterThan(0);
    expect(c.skipped).toBeGreaterThan(0);
    expect(c.failed).toBeGreaterThan(0);

    const ref = await prepare(fx.b);
    let kills = 0;
    let stalledKills = 0;
    for (let attempt = 0; attempt < 200; attempt++) {
      const worker = await spare.shift()!;
      spare.push(spawnWorker());
      alive.add(worker.process);
      const exited = new Promise((resolve) => worker.process.once("exit", resolve));
      const stallBeforeCommit = attempt % 3 === 2 && kills < MIN_KILLS ? 2 : undefined;
      worker.process.send({ go: { ref, batchSize: BATCH, stallBeforeCommit } });
      const finished = Promise.race([exited.then(() => "exited"), new Promise((r) => setTimeout(r, 600_000))]);
      if (kills < MIN_KILLS) {
        // A random moment: after 0–2 more committed batches, then up to 30 ms into the next one
        // (mid-batch: in the transaction, the COPY, or the commit). Or the stall point once the
        // worker reports it (it never commits that batch).
        const moment = (stallBeforeCommit ? waitForStall(worker) : afterBatches(worker, Math.floor(Math.random() * 3)))
          .then(() => (stallBeforeCommit ? undefined : new Promise((r) => setTimeout(r, Math.random() * 30))))
          .then(
            () => "kill",
            () => new Promise(() => {}),
          );
        const outcome = await Promise.race([finished, moment]);
        if (outcome === "kill") {
          worker.process.kill("SIGKILL");
          await exited;
          kills++;
          if (stallBeforeCommit) stalledKills++;
          continue;
        }
      }
      await finished;
      const [row] = await serviceDb().execute<{ status: string }>(
        sql`select status::text from public.lead_imports where id = ${ref.importId}`,
      );
      if (row!.status !== "running") break;
    }
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(stalledKills).toBeGreaterThanOrEqual(3);
    expect(await stateOf(fx.b, ref.importId)).toEqual(expected);
  });
});
