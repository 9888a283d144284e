import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/db";
import { profiles, workspaceMembers, workspaces } from "@/db/schema";
import type { WorkspaceRole } from "@/lib/auth/roles";

export const DEMO_PASSWORD = "demo-pass-2026";

export const DEMO_WORKSPACES = [
  { slug: "acme-outbound", name: "Acme Outbound" },
  { slug: "globex", name: "Globex" },
] as const;

type DemoUser = { email: string; fullName: string; workspace: (typeof DEMO_WORKSPACES)[number]["slug"]; role: WorkspaceRole };

export const DEMO_USERS: DemoUser[] = [
  { email: "admin@acme.test", fullName: "Amélie Durand", workspace: "acme-outbound", role: "admin" },
  { email: "rep@acme.test", fullName: "Bruno Sánchez", workspace: "acme-outbound", role: "sales_rep" },
  { email: "viewer@acme.test", fullName: "Chloé Okafor", workspace: "acme-outbound", role: "viewer" },
  { email: "admin@globex.test", fullName: "Hank Scorpio", workspace: "globex", role: "admin" },
];

/**
 * Creates the demo workspaces, users and memberships; safe to run again. Users are created
 * through the Supabase Auth admin API, so the same seed works against hosted Supabase.
 */
export async function seedDemoData(db: Database, authAdmin: SupabaseClient): Promise<{ workspaceIds: string[] }> {
  const workspaceIds = new Map<string, string>();
  for (const ws of DEMO_WORKSPACES) {
    const [row] = await db
      .insert(workspaces)
      .values(ws)
      .onConflictDoUpdate({ target: workspaces.slug, set: { name: ws.name } })
      .returning({ id: workspaces.id });
    workspaceIds.set(ws.slug, row!.id);
  }

  const existing = await findAuthUserIds(authAdmin, new Set(DEMO_USERS.map((u) => u.email)));
  for (const user of DEMO_USERS) {
    const userId = existing.get(user.email) ?? (await createAuthUser(authAdmin, user));
    await db.transaction(async (tx) => {
      await tx.insert(profiles).values({ id: userId, email: user.email, fullName: user.fullName }).onConflictDoNothing();
      await tx
        .insert(workspaceMembers)
        .values({ workspaceId: workspaceIds.get(user.workspace)!, userId, role: user.role })
        .onConflictDoNothing();
    });
  }
  return { workspaceIds: [...workspaceIds.values()] };
}

/** Ids of the users among `emails` that already exist, looked up once for the whole seed. */
async function findAuthUserIds(authAdmin: SupabaseClient, emails: Set<string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let page = 1; found.size < emails.size; page++) {
    const list = await authAdmin.auth.admin.listUsers({ page, perPage: 200 });
    if (list.error) throw new Error(`Could not list users: ${list.error.message}`);
    for (const u of list.data.users) {
      const email = u.email?.toLowerCase();
      if (email && emails.has(email)) found.set(email, u.id);
    }
    if (list.data.users.length < 200) break;
  }
  return found;
}

async function createAuthUser(authAdmin: SupabaseClient, user: DemoUser): Promise<string> {
  const { data, error } = await authAdmin.auth.admin.createUser({
    email: user.email,
    password: DEMO_PASSWORD,
    email_confirm: true,
    user_metadata: { full_name: user.fullName },
  });
  if (!data.user) throw new Error(`Could not create demo user ${user.email}: ${error?.message}`);
  return data.user.id;
}
