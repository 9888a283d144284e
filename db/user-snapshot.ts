import "server-only";
import type { ReservedSql } from "postgres";
import { env } from "@/lib/env";
import { connect } from "./client";
import { rlsClaims, type JwtClaims } from "./index";

export type UserSnapshot = {
  conn: ReservedSql;
  /** Ends the transaction (once; later calls do nothing) and returns the connection to the pool. */
  close: (how: "commit" | "rollback") => Promise<void>;
};

/**
 * Connections for snapshots, in a pool of their own. A download holds its connection for as long
 * as it streams; taken from the main pool, ten at once (its size) held them all, and a caller that
 * then needed a second connection (the export's audit entry) waited for good, the whole process
 * with it. A further download waits here for one of these instead.
 */
const SNAPSHOT_CONNECTIONS = 4;

/**
 * How long a snapshot may sit between two reads before PostgreSQL ends it: a client that stopped
 * taking its file (a stalled or abandoned download) gives its connection back, instead of keeping
 * it until the web process restarts. A client that reads, however slowly, asks for the next
 * batch of rows long before this.
 */
const SNAPSHOT_IDLE_TIMEOUT = "2min";

/**
 * A read-only REPEATABLE READ transaction as the member (RLS applies) on a pooled connection
 * of its own, for reads that outlive the handler that started them: a file streamed to the
 * client through a server-side cursor, whose counts and rows must come from one snapshot. The
 * caller closes it when the stream ends, fails, or the client goes away.
 */
export async function openUserSnapshot(claims: JwtClaims): Promise<UserSnapshot> {
  const conn = await connect(env().DATABASE_URL, { purpose: "user snapshots", max: SNAPSHOT_CONNECTIONS }).sql.reserve();
  let open = true;
  const close = async (how: "commit" | "rollback") => {
    if (!open) return;
    open = false;
    try {
      await conn.unsafe(how);
    } finally {
      conn.release();
    }
  };
  try {
    await conn.unsafe("begin isolation level repeatable read read only");
    await conn`select set_config('request.jwt.claims', ${JSON.stringify(rlsClaims(claims))}, true), set_config('role', 'authenticated', true),
      set_config('idle_in_transaction_session_timeout', ${SNAPSHOT_IDLE_TIMEOUT}, true)`;
    return { conn, close };
  } catch (error) {
    await close("rollback").catch(() => {});
    throw error;
  }
}
