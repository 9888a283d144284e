import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db";
import { campaigns, profiles } from "@/db/schema";
import type { StoredAudience } from "@/lib/campaigns/types";

export type PendingApproval = {
  id: string;
  name: string;
  ownerName: string | null;
  submittedByName: string | null;
  submittedAt: Date | null;
  audience: StoredAudience | null;
  stepCount: number;
  variantCount: number;
  identityCount: number;
};

const owner = alias(profiles, "owner");
const submitter = alias(profiles, "submitter");

/** The campaigns of a workspace waiting for an admin, the longest-waiting first (the Approvals page). */
export async function listPendingApprovals(tx: Executor, { workspaceId }: { workspaceId: string }): Promise<PendingApproval[]> {
  return tx
    .select({
      id: campaigns.id,
      name: campaigns.name,
      ownerName: sql<string | null>`coalesce(${owner.fullName}, ${owner.email})`,
      submittedByName: sql<string | null>`coalesce(${submitter.fullName}, ${submitter.email})`,
      submittedAt: campaigns.submittedAt,
      audience: campaigns.audience,
      stepCount: sql<number>`(select count(*)::int from public.campaign_steps s where s.campaign_id = ${campaigns.id})`,
      variantCount: sql<number>`(select count(*)::int from public.campaign_step_variants v where v.campaign_id = ${campaigns.id})`,
      identityCount: sql<number>`(select count(*)::int from public.campaign_identities i where i.campaign_id = ${campaigns.id})`,
    })
    .from(campaigns)
    .leftJoin(owner, eq(owner.id, campaigns.ownerId))
    .leftJoin(submitter, eq(submitter.id, campaigns.submittedBy))
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.status, "pending_approval")))
    .orderBy(asc(campaigns.submittedAt), asc(campaigns.id))
    .limit(200);
}

/** How many are waiting: the count beside Approvals. */
export async function countPendingApprovals(tx: Executor, { workspaceId }: { workspaceId: string }): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.status, "pending_approval")));
  return row?.n ?? 0;
}
