import { sql } from "drizzle-orm";
import { openPostgres } from "@/db/postgres-target";
import { afterAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";

/**
 * A connection that PostgreSQL closes under a transaction (a restart, a fast shutdown on
 * Ctrl-C, an idle-in-transaction timeout, a pooler dropping it) must fail that transaction's
 * queries, never the process. postgres.js 3.4.9 wrote the next query to a socket it had
 * already set to null, from a setImmediate, where no caller can catch it (porsager/postgres
 * #1154, #1208); `next dev` printed that TypeError on every Ctrl-C that caught a query in flight.
 */

const killer = openPostgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
afterAll(() => killer.end({ timeout: 5 }));

describe("a connection closed by the server", () => {
  it("rejects the transaction's next queries and leaves the process running", async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", record);
    try {
      const outcome = await serviceDb()
        .transaction(async (tx) => {
          const [me] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
          await killer`select pg_terminate_backend(${me!.pid})`;
          // Until the client has seen the connection close (it does not reconnect a transaction's).
          await new Promise((resolve) => setTimeout(resolve, 200));
          const first = await tx.execute(sql`select 1`).then(
            () => "answered",
            () => "rejected",
          );
          // The second query is the one that reached the null socket.
          const second = await tx.execute(sql`select 2`).then(
            () => "answered",
            () => "rejected",
          );
          return [first, second];
        })
        .catch(() => ["rejected", "rejected"]);
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(outcome).toEqual(["rejected", "rejected"]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", record);
    }
    // The pool replaces the closed connection: the next transaction works.
    const [row] = await serviceDb().execute<{ ok: number }>(sql`select 1 as ok`);
    expect(row?.ok).toBe(1);
  });
});
