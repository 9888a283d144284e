import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { deleteLead } from "../resources";
import { instantlyClientForSync } from "../sync";

export type LeadRemoval = { removed: string; outcome: "deleted" | "already_gone" } | { removed: null; why: string };

/**
 * An enrollment of a campaign sent through Instantly ended here (campaigns/end-enrollments.ts:
 * our unsubscribe link, say): its lead is deleted from Instantly, which otherwise goes on with
 * the sequence — Instantly never asks us before a step. Nothing to do when the enrollment is
 * still active (a replay after a resume) or never got Instantly's lead id. The account is the
 * one the campaign was pushed with.
 */
export async function removeEndedLeadFromInstantly(
  db: Database,
  { workspaceId, enrollmentId }: { workspaceId: string; enrollmentId: string },
): Promise<LeadRemoval> {
  const [row] = await db.execute<{ instantly_lead_id: string; account_id: string; status: string }>(sql`
    select e.instantly_lead_id, p.account_id, e.status from public.campaign_enrollments e
    join public.instantly_campaign_pushes p on p.campaign_id = e.campaign_id and p.workspace_id = e.workspace_id
    where e.id = ${enrollmentId} and e.workspace_id = ${workspaceId} and e.instantly_lead_id is not null`);
  if (!row) return { removed: null, why: "The enrollment has no lead in Instantly." };
  if (row.status === "active") return { removed: null, why: "The enrollment is active again." };
  const client = await instantlyClientForSync(db, { workspaceId, accountId: row.account_id });
  return { removed: row.instantly_lead_id, outcome: await deleteLead(client, row.instantly_lead_id) };
}
