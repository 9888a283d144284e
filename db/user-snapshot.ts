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
 * A read-only REPEATABLE READ transaction as the member (RLS applies) on a pooled connection
 * of its own, for reads that outlive the handler that started them: a file streamed to the
 * client through a server-side cursor, whose counts and rows must come from one snapshot. The
 * caller closes it when the stream ends, fails, or the client goes away.
 */
export async function openUserSnapshot(claims: JwtClaims): Promise<UserSnapshot> {
  const conn = await connect(env().DATABASE_URL).sql.reserve();
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
    await conn`select set_config('request.jwt.claims', ${JSON.stringify(rlsClaims(claims))}, true), set_config('role', 'authenticated', true)`;
    return { conn, close };
  } catch (error) {
    await close("rollback").catch(() => {});
    throw error;
  }
}
