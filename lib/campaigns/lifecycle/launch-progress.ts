import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { completeCampaignIfDone } from "./complete-campaign";

/** A launch starts enrolling: until it finishes, the campaign cannot complete (a relaunch too). */
export async function beginEnrolling(
  db: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<void> {
  await db.execute(sql`update public.campaigns set enrolled_at = null where id = ${campaignId} and workspace_id = ${workspaceId}`);
}

/**
 * The launch enrolled everyone it could: from now the campaign completes with its last
 * enrollment, at once if none is active (an audience left empty by its exclusions).
 */
export async function finishEnrolling(
  db: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<{ completed: boolean }> {
  await db.execute(sql`update public.campaigns set enrolled_at = now() where id = ${campaignId} and workspace_id = ${workspaceId}`);
  return { completed: await completeCampaignIfDone(db, campaignId) };
}
