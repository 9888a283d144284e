import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb, withUserTx } from "@/db";

describe("the rate-limit counters table", () => {
  it("is out of reach of a user's session: no read, no write", async () => {
    await serviceDb().execute(sql`insert into private.rate_limits (key, points) values (${`probe:${randomUUID()}`}, 1)`);
    const claims = { sub: randomUUID(), role: "authenticated" as const };
    const denied = { cause: expect.objectContaining({ code: "42501" }) }; // insufficient_privilege
    await expect(withUserTx(claims, (tx) => tx.execute(sql`select count(*) from private.rate_limits`))).rejects.toMatchObject(denied);
    await expect(withUserTx(claims, (tx) => tx.execute(sql`delete from private.rate_limits`))).rejects.toMatchObject(denied);
    const [row] = await serviceDb().execute<{ forced: boolean; policies: number }>(sql`
      select c.relforcerowsecurity as forced, (select count(*) from pg_policy p where p.polrelid = c.oid)::int as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'private' and c.relname = 'rate_limits'`);
    expect(row).toEqual({ forced: true, policies: 0 });
  });
});
