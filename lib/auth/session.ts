import "server-only";
import { asc, eq } from "drizzle-orm";
import { withUserTx, type JwtClaims } from "@/db";
import { workspaceMembers, workspaces } from "@/db/schema";
import { can, type Permission } from "./permissions";
import type { WorkspaceRole } from "./roles";

export type Membership = { workspaceId: string; workspaceName: string; workspaceSlug: string; role: WorkspaceRole };

/**
 * Who is asking and in which workspace. Built from verified JWT claims and the memberships
 * the database (under RLS) returns for that user; a workspace id from the client is only a
 * preference, honoured when the user is a member of it.
 */
export type Session = {
  userId: string;
  email: string;
  claims: JwtClaims;
  memberships: Membership[];
  /** Null when the user belongs to no workspace yet. */
  current: Membership | null;
};

export type WorkspaceSession = Session & { current: Membership };

export async function resolveSession(claims: JwtClaims, preferredWorkspaceId: string | undefined): Promise<Session> {
  const memberships = await withUserTx(claims, (tx) =>
    tx
      .select({
        workspaceId: workspaces.id,
        workspaceName: workspaces.name,
        workspaceSlug: workspaces.slug,
        role: workspaceMembers.role,
      })
      .from(workspaceMembers)
      .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
      .where(eq(workspaceMembers.userId, claims.sub))
      .orderBy(asc(workspaces.name)),
  );
  const current = memberships.find((m) => m.workspaceId === preferredWorkspaceId) ?? memberships[0] ?? null;
  return { userId: claims.sub, email: claims.email ?? "", claims, memberships, current };
}

export function hasPermission(session: Session | null, permission: Permission): session is WorkspaceSession {
  return !!session?.current && can(session.current.role, permission);
}

/** Claims as Supabase's getClaims() returns them, narrowed to what RLS needs. */
export function toJwtClaims(claims: Record<string, unknown>): JwtClaims | null {
  if (typeof claims.sub !== "string" || claims.role !== "authenticated") return null;
  return { ...claims, sub: claims.sub, role: "authenticated", email: typeof claims.email === "string" ? claims.email : undefined };
}

/**
 * Whether this session was opened from an emailed link or code (GoTrue's Session.IsRecovery()
 * plus an invitation): it proves the mailbox, so setting a password needs no current password.
 * A session opened with a password must give the current one to change it.
 */
export function isEmailProvenSession(claims: JwtClaims): boolean {
  const amr = Array.isArray(claims.amr) ? (claims.amr as { method?: unknown }[]) : [];
  return amr.some((entry) => typeof entry?.method === "string" && EMAIL_PROVEN_METHODS.has(entry.method));
}

const EMAIL_PROVEN_METHODS = new Set(["otp", "magiclink", "recovery", "invite"]);
