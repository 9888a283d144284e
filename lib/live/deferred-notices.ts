import "server-only";
import { sql } from "drizzle-orm";
import type { Sql } from "postgres";
import type { Executor } from "@/db";
import { pgArray } from "@/db/pg-array";
import { LIVE_CHANNEL, LIVE_MAX_IDS, type LiveNotice } from "./events";

/**
 * SQL for a hot statement that announces its own changes (see LiveNotices): evaluated anywhere in
 * the statement (a column of a CTE it reads, or of its RETURNING), it tells the live triggers of
 * migration 0069 to stay silent for THIS statement only (the value is its statement_timestamp();
 * a later statement of the same transaction notifies as usual). Evaluated or not, nothing is
 * lost: a trigger that does not see it notifies at the commit, as every other writer does.
 */
export const DEFER_LIVE_SQL = "set_config('lip.live_deferred', statement_timestamp()::text, true)";
export const DEFER_LIVE = sql.raw(DEFER_LIVE_SQL);

/** How long notices wait to be sent together; pages refresh at most every 0.8 s anyway (LiveRefresh). */
export const LIVE_COALESCE_MS = 200;

/** The wait of the pools' LiveNotices (liveNotices); tests lengthen it to see what a statement notifies at its commit. */
export const liveNoticeSettings = { delayMs: LIVE_COALESCE_MS };

type Pending = { w: string; k: LiveNotice["k"]; ids: Set<string> | null };

/**
 * Live notices sent after the commit, coalesced. A NOTIFY holds PostgreSQL's notify lock from
 * its transaction's commit until that commit is flushed, so transactions that notify commit one
 * after the other: the send step's claims and marks (many a second, each for many emails) did,
 * and queued behind each other and every other writer that notifies. Those statements now carry
 * DEFER_LIVE and, once committed, `note` here what the triggers would have said; every
 * LIVE_COALESCE_MS, one notification per workspace and kind goes out for all of them (its ids
 * merged, none past LIVE_MAX_IDS: "many", as the triggers do), in one statement of its own.
 * Listeners hear the same kinds and ids at most LIVE_COALESCE_MS later. A process that dies in
 * that moment loses them (the email is sent all the same; the page catches up at its next
 * change or refresh).
 */
export class LiveNotices {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: (payloads: string[]) => Promise<unknown>,
    private readonly delayMs?: number,
  ) {}

  /** A committed change: `ids` of kind `k` in workspace `w` (null: too many to name). */
  note(w: string, k: LiveNotice["k"], ids: readonly string[] | null): void {
    const key = `${w} ${k}`;
    let entry = this.pending.get(key);
    if (!entry) this.pending.set(key, (entry = { w, k, ids: new Set() }));
    if (entry.ids && ids) for (const id of ids) entry.ids.add(id);
    if (!ids || (entry.ids && entry.ids.size > LIVE_MAX_IDS)) entry.ids = null;
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs ?? liveNoticeSettings.delayMs).unref();
  }

  /** Sends what is pending now (tests, and a process about to stop); resolves once it went. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const payloads = [...this.pending.values()].map((p) =>
      JSON.stringify({ w: p.w, k: p.k, ids: p.ids ? [...p.ids].sort() : null } satisfies LiveNotice),
    );
    this.pending.clear();
    if (payloads.length === 0) return this.flushing;
    this.flushing = this.flushing
      .then(() => this.send(payloads))
      .then(
        () => {},
        (error: unknown) => console.error("[live] coalesced notices were not sent; open pages catch up at their next change", error),
      );
    return this.flushing;
  }
}

/** Notes, per workspace, the ids of rows of `kind` (rows without a workspace are heard by nobody, as in the triggers). */
export function noteLive(notices: LiveNotices, kind: LiveNotice["k"], rows: readonly { w: string | null; id: string }[]): void {
  const byWorkspace = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.w === null) continue;
    let ids = byWorkspace.get(row.w);
    if (!ids) byWorkspace.set(row.w, (ids = new Set()));
    ids.add(row.id);
  }
  for (const [w, ids] of byWorkspace) notices.note(w, kind, [...ids]);
}

const byPool = new WeakMap<Executor | Sql, LiveNotices>();

/** One LiveNotices per pool, sending through `send` (the one given at the pool's first use). */
function poolNotices(pool: Executor | Sql, send: (payloads: string[]) => Promise<unknown>): LiveNotices {
  let notices = byPool.get(pool);
  if (!notices) byPool.set(pool, (notices = new LiveNotices(send)));
  return notices;
}

/** The coalesced notices of a pool (never a transaction: they are sent after its commits, through it). */
export function liveNotices(db: Executor): LiveNotices {
  return poolNotices(db, (payloads) =>
    db.execute(sql`select count(pg_notify(${LIVE_CHANNEL}, p)) from unnest(${pgArray(payloads)}::text[]) as p`),
  );
}

/** The same for a postgres.js pool (the job executor's). */
export function sqlLiveNotices(pool: Sql): LiveNotices {
  return poolNotices(pool, (payloads) => pool`select count(pg_notify(${LIVE_CHANNEL}, p)) from unnest(${pgArray(payloads)}::text[]) as p`);
}
