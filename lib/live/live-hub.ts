import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { pgArray } from "@/db/pg-array";
import { env } from "@/lib/env";
import { LiveHub, type LiveSweep } from "./hub";

const HUBS = Symbol.for("lip.liveHubs");

/**
 * The process's hub for a database (one LISTEN connection), kept on globalThis so that Next's
 * hot reload and the route's module instances share it.
 */
export function liveHub(databaseUrl: string = env().DATABASE_LISTEN_URL ?? env().DATABASE_URL): LiveHub {
  const hubs = ((globalThis as { [HUBS]?: Map<string, LiveHub> })[HUBS] ??= new Map());
  let hub = hubs.get(databaseUrl);
  if (!hub) {
    hub = new LiveHub({ databaseUrl, sweep: sweepSessions });
    hubs.set(databaseUrl, hub);
  }
  return hub;
}

/**
 * The live position a page is rendered at (LiveHub.lastEventId), listening first if this process
 * was not yet, so that nothing committed from now on is missed; null when PostgreSQL cannot be
 * listened to (the page then connects without it, as before).
 */
export async function liveCursor(hub: LiveHub = liveHub()): Promise<string | null> {
  try {
    await hub.start();
    return hub.lastEventId;
  } catch {
    return null;
  }
}

/**
 * One query for every open stream: the role its user holds now in its workspace, or null when
 * its session was signed out or revoked, its user banned or deleted, or its membership removed.
 */
const sweepSessions: LiveSweep = async (streams) => {
  const sessionIds = streams.map((s) => s.sessionId);
  const userIds = streams.map((s) => s.audience.userId);
  const workspaceIds = streams.map((s) => s.audience.workspaceId);
  const rows = await serviceDb().execute<{ i: string; role: string }>(sql`
    select x.i, m.role
    from unnest(${pgArray(sessionIds)}::uuid[], ${pgArray(userIds)}::uuid[], ${pgArray(workspaceIds)}::uuid[]) with ordinality as x(session_id, user_id, workspace_id, i)
    join auth.sessions s on s.id = x.session_id and s.user_id = x.user_id and (s.not_after is null or s.not_after > now())
    join auth.users u on u.id = x.user_id and (u.banned_until is null or u.banned_until <= now()) and u.deleted_at is null
    join public.workspace_members m on m.workspace_id = x.workspace_id and m.user_id = x.user_id`);
  const roles: (string | null)[] = streams.map(() => null);
  for (const row of rows) roles[Number(row.i) - 1] = row.role;
  return roles;
};
