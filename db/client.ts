import "server-only";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction or the pool: queries take this so they run anywhere (STYLE.md §2). */
export type Executor = Pick<Database, "select" | "insert" | "update" | "delete" | "execute" | "transaction" | "query">;

type Pool = { sql: postgres.Sql; db: Database };

const pools = new Map<string, Pool>();

/**
 * One pool per database URL per process. Kept on globalThis so that Next's hot reload does
 * not open a new pool on every edit.
 */
export function connect(url: string): Pool {
  const registry = ((globalThis as { __lipPools?: Map<string, Pool> }).__lipPools ??= pools);
  let pool = registry.get(url);
  if (!pool) {
    const sql = postgres(url, { max: Number(process.env.DB_POOL_SIZE ?? 10), onnotice: () => {}, prepare: false });
    pool = { sql, db: drizzle(sql, { schema, casing: undefined }) };
    registry.set(url, pool);
  }
  return pool;
}

export async function closeAllPools(): Promise<void> {
  const registry = (globalThis as { __lipPools?: Map<string, Pool> }).__lipPools ?? pools;
  await Promise.all([...registry.values()].map((p) => p.sql.end({ timeout: 5 })));
  registry.clear();
}
