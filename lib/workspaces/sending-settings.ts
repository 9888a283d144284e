import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db";
import { workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, notFound } from "@/lib/errors";
import type { SendingSettingsInput } from "./sending-settings-schema";

export type SendingSettings = {
  timeZone: string;
  bounceRateThreshold: number;
  complaintRateThreshold: number;
  breakerMinSends: number;
};

const columns = {
  timeZone: workspaces.timeZone,
  bounceRateThreshold: workspaces.bounceRateThreshold,
  complaintRateThreshold: workspaces.complaintRateThreshold,
  breakerMinSends: workspaces.breakerMinSends,
};

/** The workspace's time zone and bounce breaker settings (any member reads them, under RLS). */
export async function getSendingSettings(tx: Database, { workspaceId }: { workspaceId: string }): Promise<SendingSettings> {
  const [row] = await tx.select(columns).from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!row) throw notFound("That workspace");
  return row;
}

/**
 * An admin sets the workspace's time zone (sending windows use it for leads without one) and the
 * bounce breaker's thresholds (DESIGN.md §7.7), audited with the values before and after. In the
 * admin's RLS transaction: the workspaces update policy checks the role again.
 */
export async function updateSendingSettings(
  tx: Database,
  actor: { workspaceId: string; userId: string; role: WorkspaceRole },
  input: SendingSettingsInput,
): Promise<SendingSettings> {
  if (!can(actor.role, "sending.manage")) {
    throw new AppError("forbidden", "Only an admin can change the workspace's sending settings. Ask an admin of this workspace.");
  }
  const before = await getSendingSettings(tx, actor);
  const after: SendingSettings = {
    timeZone: input.timeZone,
    bounceRateThreshold: input.bounceRatePercent,
    complaintRateThreshold: input.complaintRatePercent,
    breakerMinSends: input.breakerMinSends,
  };
  const [updated] = await tx.update(workspaces).set(after).where(eq(workspaces.id, actor.workspaceId)).returning(columns);
  if (!updated) throw notFound("That workspace");
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "workspace.sending_settings_updated",
    targetType: "workspace",
    targetId: actor.workspaceId,
    metadata: { before, after: updated },
  });
  return updated;
}
