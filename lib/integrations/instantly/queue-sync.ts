import "server-only";
import type { Database } from "@/db";
import { afterCommit } from "@/db/after-commit";
import { sendEvent } from "@/lib/jobs/send-event";

/**
 * Asks for the Instantly sync of one account once `tx` commits (the same sync the hourly cron
 * runs; syncs of one account run one at a time, throttled to one start a minute).
 */
export function queueInstantlySyncAfterCommit(
  tx: Database,
  data: { workspaceId: string; accountId: string; requestedBy: string },
  label: string,
): void {
  afterCommit(tx, label, async () => {
    await sendEvent({ name: "integrations/instantly-sync.requested", data });
  });
}
