import { serviceDb } from "@/db";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { isEmbeddedAuth } from "@/lib/env";
import { sendEvent } from "@/lib/jobs/send-event";
import { seedDemoDataOnce, type SeedOutcome } from "@/lib/seed/seed-once";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";
import { requestDemoCampaignActivity, seedDemoCampaigns } from "./seed-campaigns";
import { seedDemoIdentities } from "./seed-identities";
import { seedDemoImport } from "./seed-import";
import { seedDemoSandboxes } from "./seed-sandboxes";

/**
 * Seeds the demo data, once per database unless `force` (npm run db:seed). Before the web
 * server is up, the embedded auth server is reached in-process.
 */
export async function seed({ force }: { force: boolean }): Promise<SeedOutcome> {
  const authAdmin = createSupabaseAdminClient(isEmbeddedAuth() ? { fetch: embeddedAuthFetch } : {});
  const outcome = await seedDemoDataOnce(serviceDb(), authAdmin, { force });
  if (!outcome.seeded) return outcome;
  // One welcome digest per demo workspace, so the Jobs page shows a real run on a fresh start;
  // the fixed event id makes a forced re-seed a no-op.
  await sendEvent(
    outcome.workspaceIds.map((workspaceId) => ({
      name: "workspace/digest.requested" as const,
      id: `seed-digest-${workspaceId}`,
      data: { workspaceId, requestedBy: null },
    })),
  );
  // Acme's mailboxes, which the demo campaigns send from.
  await seedDemoIdentities(serviceDb());
  // One running campaign, one waiting for approval and one draft, through the real services;
  // once the running one's first step has gone out, its first readers open, click, reply and
  // bounce through the Dev outbox (a job: the app and its executor are not up yet).
  await requestDemoCampaignActivity(serviceDb(), await seedDemoCampaigns(serviceDb()));
  // A finished import to look at on the Imports page (its job runs once the executor starts).
  await seedDemoImport(serviceDb());
  // The vendor sandboxes connected (where the sandbox is on), and a first Instantly sync queued.
  await seedDemoSandboxes(serviceDb());
  return outcome;
}
