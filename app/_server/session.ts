import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { hasPermission, resolveSession, toJwtClaims, type Session, type WorkspaceSession } from "@/lib/auth/session";
import type { Permission } from "@/lib/auth/permissions";
import { readVerifiedClaims } from "@/lib/supabase/claims";
import { liveCursor } from "@/lib/live/live-hub";
import { createSupabaseServerClient } from "@/lib/supabase/server";
import { WORKSPACE_COOKIE, workspaceCookieOptions } from "@/lib/workspaces/workspace-link";

/** Remembers the workspace the user works in; getSession honours it only while they are a member. */
export async function setCurrentWorkspace(workspaceId: string): Promise<void> {
  (await cookies()).set(WORKSPACE_COOKIE, workspaceId, workspaceCookieOptions());
}

/** The verified session of this request, or null. Trusts getClaims(), never getSession(). */
export const getSession = cache(async (): Promise<Session | null> => {
  const cookieStore = await cookies();
  const verified = await readVerifiedClaims(createSupabaseServerClient(cookieStore));
  const claims = verified ? toJwtClaims(verified) : null;
  if (!claims) return null;
  return resolveSession(claims, cookieStore.get(WORKSPACE_COOKIE)?.value);
});

/**
 * The live-updates position this page render starts from (lib/live), once per request: the app
 * layout hands it to the browser's first connection, which then replays whatever changed after
 * it. Read before the session resolves, hence before the page reads any data under it (layout
 * and page render in parallel, and both start with requirePageSession).
 */
export const pageLiveCursor = cache(liveCursor);

/** For pages: signed-out visitors go to login; members without the permission see a 403 page. */
export async function requirePageSession(permission: Permission = "workspace.read"): Promise<WorkspaceSession> {
  const [session] = await Promise.all([getSession(), pageLiveCursor()]);
  if (!session) redirect("/login");
  if (!session.current) redirect("/no-workspace");
  if (!hasPermission(session, permission)) redirect(`/forbidden?need=${encodeURIComponent(permission)}`);
  return session;
}
