import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import { sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { profiles, workspaceMembers, workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors";
import { workspaceSlug } from "@/lib/workspaces/slug";
import { recordMilestone } from "./milestones";
import { ZFirstRunSetup, type FirstRunSetupInput } from "./schemas";

/** Held (per transaction) while the first admin is created; db/migrate.ts uses 727_001. */
const FIRST_RUN_LOCK = 727_002;

export const SETUP_CLOSED_MESSAGE = "This installation is already set up. Log in, or ask an admin to invite you.";

/**
 * The first-run setup is open while the database has no user at all and no first admin was
 * ever created here. Once closed it stays closed: deleting every user does not reopen it.
 */
export async function isFirstRunSetupOpen(db: Pick<Executor, "execute">): Promise<boolean> {
  const [row] = await db.execute<{ open: boolean }>(sql`
    select not exists (select 1 from auth.users)
       and not exists (select 1 from private.installation_milestones where milestone = 'first_admin_created') as open`);
  return row?.open === true;
}

export type FirstRunResult = { userId: string; email: string; workspaceId: string; workspaceName: string };

/**
 * Creates the first workspace and its admin, exactly once per database. A transaction-scoped
 * advisory lock, taken without waiting, admits one attempt at a time (a concurrent one is
 * refused at once rather than queued behind a call to the auth server); the milestone's
 * primary key backs it up. The user is created through the Supabase Auth admin API, so this
 * works against hosted Supabase too, and is deleted again if anything after it fails.
 */
export async function completeFirstRunSetup(db: Database, authAdmin: SupabaseClient, input: FirstRunSetupInput): Promise<FirstRunResult> {
  const { email, password, fullName, workspaceName } = ZFirstRunSetup.parse(input);
  let createdUserId: string | null = null;
  try {
    return await db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ acquired: boolean }>(sql`select pg_try_advisory_xact_lock(${FIRST_RUN_LOCK}) as acquired`);
      if (!lock?.acquired)
        throw new AppError("conflict", "Setup is being completed right now in another window. Reload in a moment, then log in.");
      if (!(await isFirstRunSetupOpen(tx))) throw new AppError("conflict", SETUP_CLOSED_MESSAGE);

      const userId = await createAdminUser(authAdmin, { email, password, fullName });
      createdUserId = userId;
      if (!(await recordMilestone(tx, "first_admin_created", { userId }))) throw new AppError("conflict", SETUP_CLOSED_MESSAGE);
      const [workspace] = await tx
        .insert(workspaces)
        .values({ name: workspaceName, slug: workspaceSlug(workspaceName) })
        .returning({ id: workspaces.id });
      await tx.insert(profiles).values({ id: userId, email, fullName }).onConflictDoNothing();
      await tx.insert(workspaceMembers).values({ workspaceId: workspace!.id, userId, role: "admin" });
      await recordAudit(tx, {
        workspaceId: workspace!.id,
        actorId: userId,
        action: "workspace.created",
        targetType: "workspace",
        targetId: workspace!.id,
        metadata: { name: workspaceName, firstRunSetup: true },
      });
      return { userId, email, workspaceId: workspace!.id, workspaceName };
    });
  } catch (error) {
    if (createdUserId) await authAdmin.auth.admin.deleteUser(createdUserId).catch(() => {});
    throw error;
  }
}

async function createAdminUser(
  authAdmin: SupabaseClient,
  { email, password, fullName }: { email: string; password: string; fullName: string | null },
): Promise<string> {
  const { data, error } = await authAdmin.auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    user_metadata: fullName ? { full_name: fullName } : {},
  });
  // A user appeared between the check and now (sign-up, or another app instance's auth server).
  if (error?.code === "email_exists") throw new AppError("conflict", SETUP_CLOSED_MESSAGE);
  if (error?.code === "weak_password") throw new AppError("invalid_input", error.message, { password: [error.message] });
  if (error || !data.user) throw new Error(`createUser failed: ${error?.code ?? "no user"}`);
  return data.user.id;
}
