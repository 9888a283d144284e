import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { createRunningTestCampaign } from "@/tests/fixtures/approved-campaign";
import { insertTestLead } from "@/tests/fixtures/leads";
import { randomSuffix, type TenancyWorkspace } from "@/tests/fixtures/tenancy";

export type RunningCampaign = Awaited<ReturnType<typeof createRunningTestCampaign>> & { emails: string[]; leadIds: string[] };

/**
 * A running one-step campaign of `n` leads of `ws` (each with its own address), enrolled and
 * due now, whose mailbox sends any day at any hour with a cap of 1000, unless told otherwise.
 */
export async function runningCampaign(
  ws: TenancyWorkspace,
  n = 1,
  {
    leads = {},
    window = "always",
    dailyCap = 1000,
  }: { leads?: Record<string, unknown>; window?: "always" | "office"; dailyCap?: number } = {},
): Promise<RunningCampaign> {
  const db = serviceDb();
  const tag = randomSuffix();
  const emails = Array.from({ length: n }, (_, i) => `lead-${i}-${tag}@leads.example`);
  const leadIds: string[] = [];
  for (const email of emails) leadIds.push(await insertTestLead(ws, { email, firstName: "Ada", ...leads }));
  const run = await createRunningTestCampaign(ws.id, ws.members.sales_rep, ws.members.admin, leadIds);
  const always = window === "always";
  await db.execute(sql`update public.sending_identities set daily_cap = ${dailyCap},
    send_days = ${always ? sql`'{1,2,3,4,5,6,7}'` : sql`'{1,2,3,4,5}'`}::smallint[],
    send_from_minute = ${always ? 0 : 540}, send_until_minute = ${always ? 1440 : 1020}
    where id = ${run.identityId}`);
  return { ...run, emails, leadIds };
}

/** Approves the campaign's current content as an admin would and sets it running again (service connection). */
export async function reapproveTestCampaign(campaignId: string): Promise<void> {
  const db = serviceDb();
  await db.execute(sql`update public.campaigns set status = 'pending_approval' where id = ${campaignId} and status = 'draft'`);
  await db.execute(sql`update public.campaigns set status = 'approved', approved_content_hash = private.campaign_content_hash(id),
    approved_at = now() where id = ${campaignId}`);
  await db.execute(sql`update public.campaigns set status = 'running' where id = ${campaignId}`);
}
