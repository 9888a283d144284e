import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/db";
import { and, eq } from "drizzle-orm";
import { profiles, savedViews, workspaceAiSettings, workspaceMembers, workspaces } from "@/db/schema";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { DEFAULT_LEAD_LIST_STATE, leadListSearchParams, type LeadListState } from "@/lib/leads/list-state";
import { buildDemoWorkspace, type DemoPlan } from "./demo-leads";
import { seedDemoAiInsights } from "./demo-ai-insights";
import { seedDemoReplies } from "./demo-replies";
import { insertDemoWorkspace } from "./insert-demo-leads";

export const DEMO_PASSWORD = "demo-pass-2026";

export const DEMO_WORKSPACES = [
  { slug: "acme-outbound", name: "Acme Outbound" },
  { slug: "globex", name: "Globex" },
] as const;

type DemoUser = { email: string; fullName: string; workspace: (typeof DEMO_WORKSPACES)[number]["slug"]; role: WorkspaceRole };

export const DEMO_USERS: DemoUser[] = [
  { email: "admin@acme.test", fullName: "Amélie Durand", workspace: "acme-outbound", role: "admin" },
  { email: "manager@acme.test", fullName: "Jiří Dvořák", workspace: "acme-outbound", role: "manager" },
  { email: "rep@acme.test", fullName: "Bruno Sánchez", workspace: "acme-outbound", role: "sales_rep" },
  { email: "analyst@acme.test", fullName: "Kenji Watanabe", workspace: "acme-outbound", role: "analyst" },
  { email: "viewer@acme.test", fullName: "Chloé Okafor", workspace: "acme-outbound", role: "viewer" },
  { email: "admin@globex.test", fullName: "Hank Scorpio", workspace: "globex", role: "admin" },
];

/** How much demo data each workspace gets; the seed makes it the same on every machine. */
export const DEMO_VOLUME = {
  "acme-outbound": { companyCount: 300, leadCount: 2000, deletedShare: 0.01 },
  globex: { companyCount: 45, leadCount: 350, deletedShare: 0 },
} as const satisfies Record<(typeof DEMO_WORKSPACES)[number]["slug"], Pick<DemoPlan, "companyCount" | "leadCount" | "deletedShare">>;

/** Views of the leads table the demo starts with; the first is shared with the workspace. */
export const DEMO_VIEWS: { owner: string; name: string; shared: boolean; state: Partial<LeadListState> }[] = [
  {
    owner: "admin@acme.test",
    name: "Hot pipeline",
    shared: true,
    state: { status: ["interested", "meeting"], sort: "lastActivity", dir: "desc" },
  },
  { owner: "rep@acme.test", name: "My open leads", shared: false, state: { owner: ["me"], status: ["new", "contacted", "replied"] } },
];

/** Midnight UTC of the seeding day: every demo date lies before it, the same all day long. */
export function demoAnchor(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const DEMO_ICP = {
  icpDescription:
    "Mid-sized B2B software and fintech companies in Europe whose sales teams are growing: they hire account executives and run outbound.",
  targetTitles: ["Head of Sales", "VP Sales", "Chief Revenue Officer", "Sales Director"],
  targetSeniorities: ["head", "vp", "director", "c_suite"],
  targetIndustries: ["Computer Software", "Financial Services", "Information Technology & Services"],
  companySizes: ["51-200", "201-500", "501-1000"],
  countries: ["France", "Germany", "Spain", "Netherlands", "United Kingdom"],
};

/**
 * Creates the demo workspaces, users, memberships, companies, leads with their timelines and
 * saved views; safe to run again. Users are created through the Supabase Auth admin API, so
 * the same seed works against hosted Supabase.
 */
export async function seedDemoData(
  db: Database,
  authAdmin: SupabaseClient,
  { anchor = demoAnchor() }: { anchor?: Date } = {},
): Promise<{ workspaceIds: string[] }> {
  const workspaceIds = new Map<string, string>();
  for (const ws of DEMO_WORKSPACES) {
    const [row] = await db
      .insert(workspaces)
      .values(ws)
      .onConflictDoUpdate({ target: workspaces.slug, set: { name: ws.name } })
      .returning({ id: workspaces.id });
    workspaceIds.set(ws.slug, row!.id);
  }

  const userIds = await findAuthUserIds(authAdmin, new Set(DEMO_USERS.map((u) => u.email)));
  for (const user of DEMO_USERS) {
    const userId = userIds.get(user.email) ?? (await createAuthUser(authAdmin, user));
    userIds.set(user.email, userId);
    await db.transaction(async (tx) => {
      await tx.insert(profiles).values({ id: userId, email: user.email, fullName: user.fullName }).onConflictDoNothing();
      await tx
        .insert(workspaceMembers)
        .values({ workspaceId: workspaceIds.get(user.workspace)!, userId, role: user.role })
        .onConflictDoNothing();
    });
  }

  // Acme's ideal customer profile, so that fit scoring can run as soon as a model is configured;
  // an admin's own profile is never replaced by a later seed.
  await db
    .update(workspaceAiSettings)
    .set(DEMO_ICP)
    .where(and(eq(workspaceAiSettings.workspaceId, workspaceIds.get("acme-outbound")!), eq(workspaceAiSettings.icpDescription, "")));

  const user = (email: string) => userIds.get(email)!;
  const plans: Record<
    (typeof DEMO_WORKSPACES)[number]["slug"],
    Omit<DemoPlan, "workspaceId" | "anchor" | keyof (typeof DEMO_VOLUME)["globex"]>
  > = {
    "acme-outbound": {
      seed: "acme-outbound",
      owners: [
        [user("rep@acme.test"), 35],
        [user("manager@acme.test"), 20],
        [user("admin@acme.test"), 10],
        [null, 35],
      ],
      adminId: user("admin@acme.test"),
      assignerIds: [user("admin@acme.test"), user("manager@acme.test")],
    },
    globex: {
      seed: "globex",
      owners: [
        [user("admin@globex.test"), 60],
        [null, 40],
      ],
      adminId: user("admin@globex.test"),
      assignerIds: [user("admin@globex.test")],
    },
  };
  for (const ws of DEMO_WORKSPACES) {
    const workspaceId = workspaceIds.get(ws.slug)!;
    const data = buildDemoWorkspace({ ...plans[ws.slug], ...DEMO_VOLUME[ws.slug], workspaceId, anchor });
    await db.transaction((tx) => insertDemoWorkspace(tx as unknown as Database, workspaceId, data));
  }
  await seedDemoAiInsights(db, workspaceIds.get("acme-outbound")!, anchor);
  // A few of Acme's replies already read, as the model would (fixed readings: no model needed).
  await seedDemoReplies(db, workspaceIds.get("acme-outbound")!, anchor);
  await db
    .insert(savedViews)
    .values(
      DEMO_VIEWS.map((view) => ({
        workspaceId: workspaceIds.get(DEMO_USERS.find((u) => u.email === view.owner)!.workspace)!,
        ownerId: user(view.owner),
        tableName: "leads" as const,
        name: view.name,
        shared: view.shared,
        // Stored as its URL query, which the table parses again whenever the view is applied.
        state: Object.fromEntries(leadListSearchParams({ ...DEFAULT_LEAD_LIST_STATE, ...view.state })),
      })),
    )
    .onConflictDoNothing();
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
