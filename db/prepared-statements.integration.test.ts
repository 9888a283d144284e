import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { withUserTx } from "@/db";
import { connect } from "@/db/client";

/**
 * The pools' prepared statements (db/prepare-mode.ts): drizzle asks postgres.js to prepare
 * only named queries, so without db/client.ts's wrapper every query would stay unprepared and
 * pay a Describe round trip, whatever the pool's option said.
 */
const url = process.env.DATABASE_URL!;
/** The same database under another host name: connect() keeps one pool per URL. */
const otherPoolUrl = url.replace("127.0.0.1", "localhost");

async function preparedInTransaction(databaseUrl: string): Promise<{ prepared: number }> {
  const marker = `prepared_probe_${randomUUID().replace(/-/g, "")}`;
  return withUserTx(
    { sub: randomUUID(), role: "authenticated" },
    async (tx) => {
      // Twice with parameters, then look on the same connection (a transaction keeps one).
      for (const n of [1, 2]) await tx.execute(sql`select ${n}::int as ${sql.identifier(marker)}`);
      const [row] = await tx.execute<{ prepared: number }>(
        sql`select count(*)::int as prepared from pg_prepared_statements where statement like ${`%${marker}%`}`,
      );
      return row!;
    },
    databaseUrl,
  );
}

describe("prepared statements", () => {
  const saved = process.env.DATABASE_PREPARE;
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_PREPARE;
    else process.env.DATABASE_PREPARE = saved;
  });

  it("prepares a drizzle query inside withUserTx once per connection", async () => {
    expect(connect(url)).toBeDefined();
    expect(await preparedInTransaction(url)).toEqual({ prepared: 1 });
  });

  it("prepares nothing when DATABASE_PREPARE=off (a transaction pooler), and RLS settings still apply", async () => {
    process.env.DATABASE_PREPARE = "off";
    expect(await preparedInTransaction(otherPoolUrl)).toEqual({ prepared: 0 });
    const sub = randomUUID();
    const uid = await withUserTx(
      { sub, role: "authenticated" },
      async (tx) => (await tx.execute<{ uid: string }>(sql`select auth.uid()::text as uid where ${1} = 1`))[0]!.uid,
      otherPoolUrl,
    );
    expect(uid).toBe(sub);
  });
});
