import { readFile } from "node:fs/promises";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type postgres from "postgres";
import { openPostgres } from "./postgres-target";

const root = path.resolve(import.meta.dirname, "..");
const MIGRATION_LOCK = 727_001;

export type MigrateOptions = { embeddedAuth: boolean };

/**
 * Brings a database to the current schema: the Supabase compatibility layer (a no-op on
 * hosted Supabase), the embedded auth server's tables when it is in use, the drizzle
 * migrations, and FORCE ROW LEVEL SECURITY on every table in public.
 */
export async function migrateDatabase(url: string, options: MigrateOptions): Promise<void> {
  const sql = openPostgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await sql.unsafe(await readFile(path.join(root, "supabase/compat.sql"), "utf8"));
    if (options.embeddedAuth) {
      await sql.unsafe(await readFile(path.join(root, "supabase/embedded-auth.sql"), "utf8"));
    }
    await sql.unsafe(await readFile(path.join(root, "db/local-outbox.sql"), "utf8"));
    await migrate(drizzle(sql), { migrationsFolder: path.join(root, "db/migrations") });
    await forceRowLevelSecurity(sql);
  } finally {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await sql.end();
  }
}

/**
 * FORCE makes RLS apply to the table owner too; tables already forced are left alone (ALTER
 * TABLE would take an exclusive lock on every start). Enabling RLS is left to each table's own
 * migration, so the RLS test catches a table that forgot it.
 */
async function forceRowLevelSecurity(sql: postgres.Sql): Promise<void> {
  const tables = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relforcerowsecurity`;
  for (const { name } of tables) {
    const table = `public."${name.replaceAll('"', '""')}"`;
    await sql.unsafe(`alter table ${table} force row level security`);
  }
}
