import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/db";
import { milestoneReachedAt, recordMilestone } from "@/lib/setup/milestones";
import { seedDemoData } from "./demo-data";

export type SeedOutcome = { seeded: true; workspaceIds: string[] } | { seeded: false; seededAt: Date };

/**
 * Seeds the demo data once per database. Later starts leave it alone, so a demo user or
 * membership an operator deleted stays deleted; `force` (npm run db:seed) seeds again.
 */
export async function seedDemoDataOnce(db: Database, authAdmin: SupabaseClient, { force = false } = {}): Promise<SeedOutcome> {
  if (!force) {
    const seededAt = await milestoneReachedAt(db, "demo_data_seeded");
    if (seededAt) return { seeded: false, seededAt };
  }
  const { workspaceIds } = await seedDemoData(db, authAdmin);
  await recordMilestone(db, "demo_data_seeded");
  return { seeded: true, workspaceIds };
}
