import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { joinClusterUsers } from "./cluster-users";

/** The suite's database stands in for an embedded cluster: the lock is all these tests look at. */
const url = () => process.env.DATABASE_URL!;

describe("the users of an embedded cluster", () => {
  it("makes the last one to leave the one that stops it, whichever started it", async () => {
    const owner = await joinClusterUsers(url());
    const sharer = await joinClusterUsers(url());
    // The one that started it leaves first: another is still using it.
    expect(await owner.leave()).toBe("others");
    await owner.close();
    expect(await sharer.leave()).toBe("last");
    await sharer.close();
  });

  it("stops counting a user whose process was killed (its connection gone)", async () => {
    const holders = async () =>
      (
        await serviceDb().execute<{ pid: number }>(
          sql`select pid from pg_locks where locktype = 'advisory' and mode = 'ShareLock' and objid = ${0x53455253} order by pid`,
        )
      ).map((r) => r.pid);
    const killed = await joinClusterUsers(url());
    const [killedPid] = await holders();
    const survivor = await joinClusterUsers(url());
    expect(await holders()).toHaveLength(2);
    // What a kill -9 leaves: the server sees the connection end, and drops its lock.
    await serviceDb().execute(sql`select pg_terminate_backend(${killedPid!})`);
    for (let i = 0; i < 100; i++) {
      const [row] = await serviceDb().execute<{ n: number }>(
        sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and mode = 'ShareLock' and objid = ${0x53455253}`,
      );
      if (row!.n === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await survivor.leave()).toBe("last");
    await survivor.close();
    await killed.close().catch(() => {});
  });

  it("keeps a newcomer waiting while the last user stops the cluster", async () => {
    const last = await joinClusterUsers(url());
    expect(await last.leave()).toBe("last");
    let joined = false;
    const newcomer = joinClusterUsers(url()).then((use) => ((joined = true), use));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(joined).toBe(false);
    await last.close();
    const use = await newcomer;
    expect(await use.leave()).toBe("last");
    await use.close();
  });
});
