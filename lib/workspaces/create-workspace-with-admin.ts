import "server-only";
import { randomBytes } from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import { eq } from "drizzle-orm";
import { authUsers } from "drizzle-orm/supabase";
import { z } from "zod";
import type { Database } from "@/db";
import { profiles, workspaceMembers, workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { ZEmail, ZNewPassword } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { ZWorkspaceName } from "./schemas";
import { workspaceSlug } from "./slug";

export const ZWorkspaceWithAdmin = z.object({
  workspaceName: ZWorkspaceName,
  adminEmail: ZEmail,
  /** For a new user only; one is generated (and returned once) when none is given. */
  password: ZNewPassword.optional(),
  fullName: z.string().trim().max(120, "Use at most 120 characters.").optional(),
});
export type WorkspaceWithAdminInput = z.input<typeof ZWorkspaceWithAdmin>;

export type WorkspaceWithAdmin = {
  workspaceId: string;
  slug: string;
  userId: string;
  /** True when the user was created here (with `password`), false when an existing one became admin. */
  userCreated: boolean;
  /** The generated password, when the operator gave none for a new user; shown once, stored nowhere. */
  generatedPassword: string | null;
};

/**
 * An operator's way (the CLI) to open a workspace for a team: the workspace and its first admin
 * in one go, on the service connection. An admin email that already has an account becomes the
 * admin as it is (its password untouched); a new one is created through the Supabase Auth admin
 * API (so hosted Supabase works too) and deleted again if the workspace cannot be created.
 */
export async function createWorkspaceWithAdmin(
  db: Database,
  authAdmin: SupabaseClient,
  input: WorkspaceWithAdminInput,
): Promise<WorkspaceWithAdmin> {
  const { workspaceName, adminEmail, password, fullName } = ZWorkspaceWithAdmin.parse(input);
  const [existing] = await db.select({ id: authUsers.id }).from(authUsers).where(eq(authUsers.email, adminEmail));
  let createdUserId: string | null = null;
  let generatedPassword: string | null = null;
  let userId = existing?.id;
  if (!userId) {
    if (!password) generatedPassword = randomBytes(12).toString("base64url");
    const { data, error } = await authAdmin.auth.admin.createUser({
      email: adminEmail,
      password: password ?? generatedPassword!,
      email_confirm: true,
      user_metadata: fullName ? { full_name: fullName } : {},
    });
    if (error?.code === "weak_password") throw new AppError("invalid_input", error.message, { password: [error.message] });
    if (error || !data.user) throw new Error(`createUser failed: ${error?.code ?? "no user"}`);
    userId = createdUserId = data.user.id;
  }
  try {
    return await db.transaction(async (tx) => {
      const slug = workspaceSlug(workspaceName);
      const [workspace] = await tx.insert(workspaces).values({ name: workspaceName, slug }).returning({ id: workspaces.id });
      await tx
        .insert(profiles)
        .values({ id: userId, email: adminEmail, fullName: fullName || null })
        .onConflictDoNothing();
      await tx.insert(workspaceMembers).values({ workspaceId: workspace!.id, userId, role: "admin" });
      await recordAudit(tx, {
        workspaceId: workspace!.id,
        actorId: null,
        action: "workspace.created",
        targetType: "workspace",
        targetId: workspace!.id,
        metadata: { name: workspaceName, admin: adminEmail, via: "cli" },
      });
      return { workspaceId: workspace!.id, slug, userId, userCreated: createdUserId !== null, generatedPassword };
    });
  } catch (error) {
    if (createdUserId) await authAdmin.auth.admin.deleteUser(createdUserId).catch(() => {});
    throw error;
  }
}
