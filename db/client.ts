import "server-only";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { openPostgres } from "./postgres-target";
import { usePreparedStatements } from "./prepare-mode";

export type Database = PostgresJsDatabase;
/** A transaction or the pool: queries take this so they run anywhere (STYLE.md §2). */
export type Executor = Pick<Database, "select" | "insert" | "update" | "delete" | "execute" | "transaction">;

type Pool = { sql: postgres.Sql; db: Database };

const pools = new Map<string, Pool>();

/**
 * One pool per database URL per process, and one per `purpose` for work that must not borrow
 * from the main pool (with at most `max` connections). Kept on globalThis so that Next's hot
 * reload does not open a new pool on every edit.
 */
export function connect(url: string, { purpose, max }: { purpose?: string; max?: number } = {}): Pool {
  const registry = ((globalThis as { __lipPools?: Map<string, Pool> }).__lipPools ??= pools);
  const key = purpose ? `${purpose}\n${url}` : url;
  let pool = registry.get(key);
  if (!pool) {
    // plan_cache_mode stays `auto`: `force_custom_plan` would also re-plan, on every call, the
    // SQL-language RLS helpers PostgreSQL 18 now caches plans for (private.is_workspace_member,
    // private.shares_workspace_with), once per row checked: 13 ms instead of 0.5 ms for the
    // members' names of one page, measured at a million leads.
    const prepare = usePreparedStatements(url);
    const sql = openPostgres(url, {
      max: max ?? mainPoolSize(),
      onnotice: () => {},
      prepare,
    });
    pool = { sql, db: drizzle(prepare ? preparing(sql) : sql) };
    registry.set(key, pool);
  }
  return pool;
}

/** Connections per process in a pool without a `max` of its own (DB_POOL_SIZE, 10 by default). */
export function mainPoolSize(): number {
  return Number(process.env.DB_POOL_SIZE ?? 10);
}

/**
 * drizzle asks postgres.js to prepare only the queries it was given a name for (`.prepare(name)`),
 * so the pool's `prepare` option alone would leave every drizzle query unprepared. This view of
 * the client prepares every query with parameters, in transactions and savepoints too (drizzle
 * runs those on the client postgres.js hands to `begin`/`savepoint`). Queries without parameters
 * keep the simple protocol: one message, no Describe.
 */
function preparing<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  type Callback = (inner: postgres.TransactionSql) => unknown;
  const wrapScope =
    (open: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const work = args.pop() as Callback;
      return open(...args, (inner: postgres.TransactionSql) => work(preparing(inner)));
    };
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "unsafe") {
        return (query: string, ...rest: [unknown[]?, postgres.UnsafeQueryOptions?]) => {
          const [params, options] = rest;
          return Array.isArray(params) && params.length > 0
            ? target.unsafe(query, params as postgres.ParameterOrJSON<never>[], { ...options, prepare: true })
            : (target.unsafe as (...args: unknown[]) => unknown)(query, ...rest);
        };
      }
      if (key === "begin" || key === "savepoint") {
        const open = Reflect.get(target, key, receiver) as ((...args: unknown[]) => unknown) | undefined;
        return open && wrapScope(open);
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

export async function closeAllPools(): Promise<void> {
  const registry = (globalThis as { __lipPools?: Map<string, Pool> }).__lipPools ?? pools;
  await Promise.all([...registry.values()].map((p) => p.sql.end({ timeout: 5 })));
  registry.clear();
}
