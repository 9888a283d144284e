import { describe, expect, it } from "vitest";
import { migrateDatabase } from "./migrate";
import { openPostgres } from "./postgres-target";

describe("migrating a database that is already current, beside a running app", () => {
  it("waits on no table any transaction of the app is using (every start and CLI command migrates)", async () => {
    const url = process.env.DATABASE_URL!;
    const app = openPostgres(url, { max: 1, onnotice: () => {} });
    try {
      await app.begin(async (tx) => {
        // A transaction of the app's that has written to every table, and stays open: its locks stay held.
        const tables = await tx<{ name: string }[]>`
          select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind in ('r', 'p') and n.nspname in ('public', 'private', 'local', 'auth', 'extensions')`;
        expect(tables.length).toBeGreaterThan(50);
        // The lock every INSERT, UPDATE and DELETE takes, held as by a write not yet committed.
        for (const { name } of tables) await tx.unsafe(`lock table ${name} in row exclusive mode`);
        // ALTER TABLE takes its exclusive lock even when there is nothing to change, and CREATE INDEX
        // IF NOT EXISTS a share lock before it looks for the index: the migration
        // would then wait behind this transaction for ever, and every later read and write behind it.
        const migrated = migrateDatabase(url, { embeddedAuth: true }).then(() => "migrated");
        const waited = new Promise((resolve) => setTimeout(resolve, 15_000, "still waiting after 15 s"));
        expect(await Promise.race([migrated, waited])).toBe("migrated");
      });
    } finally {
      await app.end();
    }
  });
});
