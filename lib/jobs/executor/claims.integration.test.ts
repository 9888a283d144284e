import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openPostgres } from "@/db/postgres-target";
import { nodesOf, plansOf } from "@/tests/fixtures/query-plans";
import { unique } from "../testing/harness";
import { claimLimitedRuns, claimRuns, KEYS_PER_CLAIM, type ClaimOptions, type FlowCursor } from "./claims";
import type { Throttle } from "./registry";
import { nextDueAt } from "./store";

/**
 * Claims of flow-controlled runs against the real PostgreSQL, with the queue written directly:
 * a run that may start is claimed in the next claim round however many runs of a blocked key
 * (its concurrency slots taken, or its throttle spent) are due ahead of it.
 */

const sql = openPostgres(process.env.DATABASE_URL ?? "", { max: 2, onnotice: () => {} });
// Each test's runs go when it ends: a claim looks at a bounded number of keys, which every test's share.
const written: string[] = [];
afterEach(async () => {
  await sql`delete from job_runs where function_id = any(${written.splice(0)}::text[])`;
});
afterAll(() => sql.end({ timeout: 5 }));

const HOUR = 3_600_000;

type Row = {
  key?: string | null;
  limit?: number | null;
  throttleKey?: string | null;
  status?: "queued" | "running" | "sleeping";
  owner?: string | null;
  /** Milliseconds from now; runs are due in the order they are listed. */
  at?: number;
};

/** Writes runs of one function, due one microsecond apart in the order given; returns their ids. */
async function write(functionId: string, rows: Row[], now: Date): Promise<string[]> {
  written.push(functionId);
  const [event] = await sql<{ id: string }[]>`
    insert into job_events (name, data, ts, dispatched_at) values (${unique("test/claims")}, '{}'::jsonb, ${now}, ${now}) returning id`;
  const runs = rows.map((r, i) => ({
    id: randomUUID(),
    status: r.status ?? "queued",
    // Keys are the function's, as concurrencyKeyOf makes them: other tests' runs share the table.
    concurrency_key: r.key ? `${functionId}:${r.key}` : null,
    concurrency_limit: r.key ? (r.limit ?? 1) : null,
    throttle_key: r.throttleKey ?? null,
    lease_owner: r.owner ?? null,
    claims: r.status && r.status !== "queued" ? 1 : 0,
    at_ms: r.at ?? -60_000,
    i,
  }));
  await sql`
    insert into job_runs (id, function_id, event_id, status, concurrency_key, concurrency_limit, throttle_key, lease_owner, claims, next_at)
    select r.id, ${functionId}, ${event!.id}, r.status::job_run_status, r.concurrency_key, r.concurrency_limit, r.throttle_key,
      r.lease_owner, r.claims, ${now}::timestamptz + r.at_ms * interval '1 millisecond' + r.i * interval '1 microsecond'
    from jsonb_to_recordset(${JSON.stringify(runs)}::text::jsonb) as r(id uuid, status text, concurrency_key text,
      concurrency_limit int, throttle_key text, lease_owner text, claims int, at_ms int, i int)`;
  return runs.map((r) => r.id);
}

function options(functionId: string, now: Date, limit: number, throttles?: Map<string, Throttle>, cursor?: FlowCursor): ClaimOptions {
  return {
    cursor,
    owner: unique("executor"),
    now,
    leaseUntil: new Date(now.getTime() + 30_000),
    limit,
    functionIds: [functionId],
    exclude: [],
    throttles,
  };
}

const times = <T>(n: number, row: T): T[] => Array.from({ length: n }, () => row);

describe("claims of flow-controlled runs", () => {
  it("claims a run of a free key behind many queued runs of a key whose slots are all taken", async () => {
    const fn = unique("fn");
    const now = new Date();
    const [, ...queued] = await write(
      fn,
      [{ key: "busy", status: "running", owner: "elsewhere", at: 20_000 }, ...times(200, { key: "busy" }), { key: "free" }],
      now,
    );
    const free = queued.at(-1);
    const claimed = await claimLimitedRuns(sql, options(fn, now, 2));
    expect(claimed.map((r) => r.id)).toEqual([free]);
  });

  it("takes a partly used key's free slots in order, and the runs of other keys behind it", async () => {
    const fn = unique("fn");
    const now = new Date();
    const [, ...queued] = await write(
      fn,
      [{ key: "a", limit: 3, status: "running", owner: "elsewhere", at: 20_000 }, ...times(200, { key: "a", limit: 3 }), { key: "b" }],
      now,
    );
    const claimed = await claimLimitedRuns(sql, options(fn, now, 4));
    expect(claimed.map((r) => r.id).sort()).toEqual([queued[0], queued[1], queued.at(-1)].sort());
    // The next round finds the key full and nothing else due.
    expect(await claimLimitedRuns(sql, options(fn, now, 4))).toEqual([]);
  });

  it("wakes a run of a free key behind many due wake-ups of a key whose slots are all taken", async () => {
    const fn = unique("fn");
    const now = new Date();
    const ids = await write(
      fn,
      [
        { key: "busy", status: "running", owner: "elsewhere", at: 20_000 },
        ...times(200, { key: "busy", status: "sleeping" as const }),
        { key: "free", status: "sleeping" },
      ],
      now,
    );
    const claimed = await claimLimitedRuns(sql, options(fn, now, 2));
    expect(claimed.map((r) => r.id)).toEqual([ids.at(-1)]);
  });

  it("starts a run of another throttle behind many runs that a spent throttle holds back", async () => {
    const fn = unique("fn");
    const now = new Date();
    const throttles = new Map([[fn, { limit: 1, periodMs: HOUR, burst: 0 }]]);
    const ids = await write(fn, [...times(200, { throttleKey: `${fn}:"x"` }), { throttleKey: `${fn}:"y"` }], now);
    // One start an hour: the first run of x takes it, and y's first run starts beside it.
    const claimed = await claimLimitedRuns(sql, options(fn, now, 2, throttles));
    expect(claimed.map((r) => r.id).sort()).toEqual([ids[0], ids.at(-1)].sort());
    expect(await claimLimitedRuns(sql, options(fn, now, 2, throttles))).toEqual([]);
  });

  it("looks at a bounded number of keys per claim, and finds a free key past them in a following one", async () => {
    const fn = unique("fn");
    const now = new Date();
    // More busy keys than one claim looks at, each with its slot taken and a run queued, then a
    // free key that sorts after them all.
    const busy = Array.from({ length: KEYS_PER_CLAIM + 50 }, (_, i) => `busy-${String(i).padStart(4, "0")}`);
    const ids = await write(
      fn,
      [
        ...busy.map((key) => ({ key, status: "running" as const, owner: "elsewhere", at: 20_000 })),
        ...busy.map((key) => ({ key })),
        { key: "zzz-free" },
      ],
      now,
    );
    const cursor: FlowCursor = { queued: null, resumable: null, throttle: null };
    const first = await claimLimitedRuns(sql, options(fn, now, 2, undefined, cursor));
    expect(first).toEqual([]);
    expect(cursor.queued).not.toBeNull();
    // The next claims go on from there (other tests' keys may sit among these): the free run is
    // claimed, once, within a claim or two.
    const later: string[] = [];
    for (let i = 0; i < 2 && later.length === 0; i++) {
      later.push(...(await claimLimitedRuns(sql, options(fn, now, 2, undefined, cursor))).map((r) => r.id));
    }
    expect(later).toEqual([ids.at(-1)]);
  });

  it("leaves runs that are not due yet, and runs another claim holds", async () => {
    const fn = unique("fn");
    const now = new Date();
    const [, held, due] = await write(fn, [{ key: "a", at: 60_000 }, { key: "b" }, { key: "c" }], now);
    const other = await sql.reserve();
    try {
      await other`begin`;
      await other`select id from job_runs where id = ${held!} for update`;
      expect((await claimLimitedRuns(sql, options(fn, now, 4))).map((r) => r.id)).toEqual([due]);
      await other`rollback`;
    } finally {
      other.release();
    }
    expect((await claimLimitedRuns(sql, options(fn, now, 4))).map((r) => r.id)).toEqual([held]);
    expect(await claimLimitedRuns(sql, options(fn, now, 4))).toEqual([]);
  });
});

describe("when the executor looks for work next", () => {
  it("is not woken by runs waiting for a busy key's slot, only by what can start", async () => {
    const fn = unique("fn");
    const now = new Date();
    await write(
      fn,
      [
        { key: "busy", status: "running", owner: "elsewhere", at: 20_000 },
        ...times(3, { key: "busy" }),
        ...times(3, { key: "busy", status: "sleeping" as const }),
      ],
      now,
    );
    // Due already, but the key's slot is taken: claiming again at once would find nothing, again and again.
    expect(await nextDueAt(sql, [fn], now)).toBeNull();
    // A wake-up still to come is due at its time, whatever its key; a run with no key at once.
    await write(fn, [{ key: "busy", status: "sleeping", at: 5_000 }], now);
    expect((await nextDueAt(sql, [fn], now))?.getTime()).toBe(now.getTime() + 5_000);
    await write(fn, [{}], now);
    expect((await nextDueAt(sql, [fn], now))?.getTime()).toBe(now.getTime() - 60_000);
  });
});

describe("claims of runs without flow control", () => {
  it("find a due wake-up of a run without a key without reading the due wake-ups of keyed runs ahead of it", async () => {
    const fn = unique("fn");
    const now = new Date();
    // A busy key's runs asleep and due (their slot is taken, so they stay due), then one keyless wake-up.
    const ids = await write(fn, [...times(5_000, { key: "busy", status: "sleeping" as const }), { status: "sleeping" }], now);
    await sql`analyze job_runs`;
    let claimed: { id: string }[] = [];
    const plans = await plansOf(async (session) => {
      claimed = await claimRuns(session, options(fn, now, 4));
    });
    expect(claimed.map((r) => r.id)).toEqual([ids.at(-1)]);
    const claim = plans.map(nodesOf).find((nodes) => nodes.some((n) => n["Subplan Name"] === "CTE resumed"));
    expect(claim, "the claim's plan was reported").toBeDefined();
    const resumed = claim!.find((n) => n["Subplan Name"] === "CTE resumed")!;
    const scan = nodesOf(resumed).find((n) => n["Index Name"]?.startsWith("job_runs_"));
    // The keyless runs' own index: the busy key's 5,000 wake-ups are not in it, so none is read and dropped.
    expect(scan).toMatchObject({ "Index Name": "job_runs_due_free_idx", "Rows Removed by Filter": 0 });
    expect((scan!["Shared Hit Blocks"] ?? 0) + (scan!["Shared Read Blocks"] ?? 0)).toBeLessThan(20);
  });
});
