import { and, eq } from "drizzle-orm";
import { authUsers } from "drizzle-orm/supabase";
import { withUserTx, type Database } from "@/db";
import { integrationAccounts, workspaceMembers, workspaces } from "@/db/schema";
import { integrationsSandboxEnabled } from "@/lib/env";
import { connectIntegrationSandbox } from "@/lib/integrations/accounts/connect-sandbox";
import { SANDBOX_VENDORS, type SandboxVendor } from "@/lib/integrations/accounts/schemas";
import { requestInstantlySync } from "@/lib/integrations/instantly/request-sync";

/** Who connects the demo's sandboxes: Acme's admin, as Settings → Integrations would. */
export const DEMO_SANDBOXES = { workspaceSlug: "acme-outbound", admin: "admin@acme.test" } as const;

/**
 * Connects the Apollo, Instantly and PhantomBuster sandboxes (sample data served by the app,
 * labelled as such on every screen) for the demo workspace, through the same service as the
 * admin's "Connect the sandbox" button, and asks for a first Instantly sync as "Sync now" does
 * (the executor runs it once the app answers), so a fresh `npm run dev` shows connected
 * integrations, Apollo's search and Instantly's campaigns with their daily analytics.
 *
 * Only where the sandbox is on (off in production unless INTEGRATIONS_SANDBOX_ENABLED=true).
 * A vendor with an account that is not disconnected (a sandbox seeded before, or a real key)
 * is left alone, so a forced re-seed changes nothing and queues no second sync. Returns the
 * vendors it connected; skipped when the workspace or its admin is gone.
 */
export async function seedDemoSandboxes(
  db: Database,
  { workspaceSlug, admin }: { workspaceSlug: string; admin: string } = DEMO_SANDBOXES,
): Promise<SandboxVendor[]> {
  if (!integrationsSandboxEnabled()) return [];
  const [who] = await db
    .select({ workspaceId: workspaces.id, userId: authUsers.id, role: workspaceMembers.role })
    .from(workspaces)
    .innerJoin(workspaceMembers, eq(workspaceMembers.workspaceId, workspaces.id))
    .innerJoin(authUsers, eq(authUsers.id, workspaceMembers.userId))
    .where(and(eq(workspaces.slug, workspaceSlug), eq(authUsers.email, admin), eq(workspaceMembers.role, "admin")));
  if (!who) return [];
  const actor = { workspaceId: who.workspaceId, userId: who.userId, role: who.role };
  const connected: SandboxVendor[] = [];
  for (const vendor of SANDBOX_VENDORS) {
    const [existing] = await db
      .select({ status: integrationAccounts.status })
      .from(integrationAccounts)
      .where(and(eq(integrationAccounts.workspaceId, who.workspaceId), eq(integrationAccounts.vendor, vendor)));
    if (existing && existing.status !== "disconnected") continue;
    await withUserTx({ sub: who.userId, role: "authenticated", email: admin }, async (tx) => {
      const account = await connectIntegrationSandbox(tx, actor, { vendor });
      if (vendor === "instantly") await requestInstantlySync(tx, actor, { accountId: account.id });
    });
    connected.push(vendor);
  }
  return connected;
}
