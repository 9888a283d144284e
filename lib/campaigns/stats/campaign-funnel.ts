import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

import { FUNNEL_STAGES, type FunnelRow, type FunnelStage } from "./funnel-stages";

export type { FunnelRow } from "./funnel-stages";

/**
 * Per step and A/B variant, how many emails were sent and how many of those were delivered,
 * opened, clicked, replied to, (hard-)bounced and led to an unsubscribe: each stage is the
 * first time the provider reported it (the message's funnel timestamps). Every variant of the
 * approved content has a row, with zeros until its first email goes.
 */
export async function getCampaignFunnel(
  tx: Executor,
  { workspaceId, campaignId }: { workspaceId: string; campaignId: string },
): Promise<FunnelRow[]> {
  const [variants, counts] = await Promise.all([
    tx.execute<{ position: number; label: string }>(sql`
      select s.position, v.label
        from public.campaign_step_variants v
        join public.campaign_steps s on s.id = v.step_id and s.workspace_id = v.workspace_id
       where v.campaign_id = ${campaignId} and v.workspace_id = ${workspaceId}`),
    tx.execute<{ position: number; label: string | null } & Record<FunnelStage, number>>(sql`
      select step_position as position, variant_label as label,
             count(*)::int as sent,
             count(delivered_at)::int as delivered,
             count(opened_at)::int as opened,
             count(clicked_at)::int as clicked,
             count(replied_at)::int as replied,
             count(*) filter (where bounced_at is not null and bounce_type is distinct from 'soft')::int as bounced,
             count(unsubscribed_at)::int as unsubscribed
        from public.email_messages
       where campaign_id = ${campaignId} and workspace_id = ${workspaceId} and status = 'sent'
       group by step_position, variant_label`),
  ]);
  const rows = new Map<string, FunnelRow>();
  const zero = Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) as Record<FunnelStage, number>;
  for (const v of variants) rows.set(`${v.position}|${v.label}`, { stepPosition: v.position, variantLabel: v.label, ...zero });
  for (const c of counts) {
    const label = c.label ?? "A";
    const stages = Object.fromEntries(FUNNEL_STAGES.map((s) => [s, c[s]])) as Record<FunnelStage, number>;
    rows.set(`${c.position}|${label}`, { stepPosition: c.position, variantLabel: label, ...stages });
  }
  return [...rows.values()].sort((a, b) => a.stepPosition - b.stepPosition || a.variantLabel.localeCompare(b.variantLabel));
}
