import type postgres from "postgres";
import { openPostgres } from "@/db/postgres-target";

/**
 * Who is using an embedded cluster. `npm run dev`, `npm start`, the CLI and the db scripts all
 * start the cluster, or share it when another of them has (scripts/lib/prepare.ts), and the one
 * that started it used to stop it when it ended, whoever else was still using it: a CLI import
 * started beside another lost its database half-way, and so did a dev server started after a
 * long CLI job.
 *
 * Each user holds a shared advisory lock, on a connection of its own, for as long as it runs.
 * PostgreSQL drops the lock with the connection, so a process that was killed stops counting at
 * once, with no file to clean up. On the way out a user lets go of its own and asks for the lock
 * exclusively: granted only when no other user holds it, which makes it the last one out, the one
 * to stop the cluster. It keeps that lock until then, so a newcomer waits rather than starting on
 * a cluster about to stop.
 */
const CLUSTER_USERS_LOCK = 0x4c49505553455253n.toString(); // "LIPUSERS"

export type ClusterUse = {
  /**
   * Lets go of this process's use: "last" when no other process uses the cluster (this one then
   * stops it, and calls `close` after), "others" when another still does, "gone" when the
   * cluster went away meanwhile (stopped by its last user, or killed).
   */
  leave(): Promise<"last" | "others" | "gone">;
  close(): Promise<void>;
};

export async function joinClusterUsers(url: string): Promise<ClusterUse> {
  const conn: postgres.Sql = openPostgres(url, { max: 1, idle_timeout: 0, max_lifetime: null, onnotice: () => {} });
  try {
    await conn`select pg_advisory_lock_shared(${CLUSTER_USERS_LOCK}::bigint)`;
  } catch (error) {
    await conn.end({ timeout: 0 }).catch(() => {});
    throw error;
  }
  return {
    async leave() {
      try {
        await conn`select pg_advisory_unlock_shared(${CLUSTER_USERS_LOCK}::bigint)`;
        const [row] = await conn<{ last: boolean }[]>`select pg_try_advisory_lock(${CLUSTER_USERS_LOCK}::bigint) as last`;
        return row!.last ? "last" : "others";
      } catch {
        return "gone";
      }
    },
    close: () => conn.end({ timeout: 1 }),
  };
}
