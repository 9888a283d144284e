import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaignContentHash } from "@/lib/campaigns/content-hash";
import { ZStoredAudience, type StoredAudience } from "@/lib/campaigns/types";
import { notFound } from "@/lib/errors";
import { readUsedToday } from "@/lib/sending/capacity";
import { describeDailyCapacity, estimateFinish, type CapacityNeed } from "./capacity";
import { checkCampaignContent } from "./content-checks";
import { LISTED_LEADS, resolveAudienceWithEmptyVariables } from "./empty-variables";
import type { PreflightIssue, PreflightReport } from "./types";

/** A campaign takes this long at its caps before pre-flight says so. */
export const LONG_CAMPAIGN_DAYS = 30;

type CampaignRow = { id: string; owner_id: string | null; audience: unknown };
type StepRow = { id: string; position: number; delay_days: number; delay_hours: number; business_days: boolean };
type VariantRow = { step_id: string; label: string; weight: number; subject: string; body: string };
type IdentityRow = {
  id: string;
  from_name: string;
  from_email: string;
  postal_address: string | null;
  daily_cap: number;
  send_days: number[];
  time_zone: string;
  archived: boolean;
};

/**
 * Every pre-flight check of a campaign, computed on the server for the rep, the approver and
 * submission alike (DESIGN.md §7): what blocks submission, the warnings, the audience with its
 * exclusions, the capacity of its identities and the links of its bodies. In the caller's
 * RLS-scoped transaction: a campaign of another workspace is not found.
 *
 * The audience is resolved as its owner sees it ("my leads" in a rule means the author's), so
 * the rep and the approver read the same counts.
 */
export async function runPreflight(
  tx: Executor,
  { workspaceId, userId, campaignId, now = new Date() }: { workspaceId: string; userId: string; campaignId: string; now?: Date },
): Promise<PreflightReport> {
  const [campaign] = await tx.execute<CampaignRow>(sql`
    select id, owner_id, audience from public.campaigns where id = ${campaignId} and workspace_id = ${workspaceId}`);
  if (!campaign) throw notFound("That campaign");

  const [steps, variants, identities, contentHash] = await Promise.all([
    tx.execute<StepRow>(sql`select id, position, delay_days, delay_hours, business_days from public.campaign_steps
      where campaign_id = ${campaignId} and workspace_id = ${workspaceId} order by position`),
    tx.execute<VariantRow>(sql`select step_id, label, weight, subject, body from public.campaign_step_variants
      where campaign_id = ${campaignId} and workspace_id = ${workspaceId} order by label`),
    tx.execute<IdentityRow>(sql`select i.id, i.from_name, i.from_email, i.postal_address, i.daily_cap, i.send_days::int[] as send_days,
        i.time_zone, i.archived_at is not null as archived
      from public.campaign_identities ci join public.sending_identities i on i.id = ci.identity_id and i.workspace_id = ci.workspace_id
      where ci.campaign_id = ${campaignId} and ci.workspace_id = ${workspaceId} order by i.from_email`),
    campaignContentHash(tx, campaignId),
  ]);

  // A stored rule that no longer parses is treated as none: the rep chooses it again.
  const parsed = ZStoredAudience.safeParse(campaign.audience);
  const audience: StoredAudience | null = parsed.success ? parsed.data : null;

  const content = checkCampaignContent({
    hasAudience: audience !== null,
    identities: identities.map((i) => ({
      fromName: i.from_name,
      fromEmail: i.from_email,
      postalAddress: i.postal_address,
      archived: i.archived,
    })),
    steps: steps.map((s) => ({ position: s.position, variants: variants.filter((v) => v.step_id === s.id) })),
  });
  const blocking = [...content.blocking];
  const warnings: PreflightIssue[] = [];

  // An archived identity sends nothing: the estimate counts the others, and needs one of them.
  const activeIdentities = identities.filter((i) => !i.archived);
  const capacityNeeds: CapacityNeed[] = [
    ...(audience ? [] : ["audience" as const]),
    ...(activeIdentities.length > 0 ? [] : ["identity" as const]),
    ...(steps.length > 0 ? [] : ["step" as const]),
  ];
  let counts: PreflightReport["audience"] = null;
  let capacity: PreflightReport["capacity"] = null;
  if (audience) {
    const scope = { workspaceId, userId: campaign.owner_id ?? userId, audience, campaignId };
    const resolved = await resolveAudienceWithEmptyVariables(
      tx,
      scope,
      content.unguarded.map((u) => u.name),
      content.firstStep.map((v) => v.unguarded),
    );
    counts = resolved.counts;
    if (counts.eligible === 0) {
      blocking.push({
        code: "no_eligible_leads",
        message:
          counts.matched === 0
            ? "No lead matches this audience: choose another view or filter."
            : counts.matched === 1
              ? "The one lead of this audience cannot be emailed (see the exclusions): choose another audience."
              : `None of the ${counts.matched.toLocaleString("en")} leads of this audience can be emailed (see the exclusions): choose another audience.`,
      });
    } else if (content.firstStep.length > 0 && resolved.anyEmpty.every((n) => n === counts!.eligible)) {
      blocking.push(everyLeadSkipped(counts.eligible, content.firstStep, new Set(resolved.empty.map((e) => e.name))));
    }
    for (const empty of resolved.empty) {
      const where = content.unguarded.find((u) => u.name === empty.name)?.where ?? [];
      const leadsWord = empty.count === 1 ? "1 lead" : `${empty.count.toLocaleString("en")} leads`;
      warnings.push({
        code: "empty_variable",
        where: where.join("; "),
        message: `{{ ${empty.name} }} is empty for ${leadsWord} and has no fallback, so ${empty.count === 1 ? "it" : "they"} will be skipped. Add one to send to them too, e.g. {{ ${empty.name} | default: "…" }}.`,
        leads: empty.leads,
        moreLeads: Math.max(0, empty.count - LISTED_LEADS),
      });
    }
    // From each identity's today as the send step counts its cap, less what any campaign used of it.
    const usedToday = await readUsedToday(tx, {
      workspaceId,
      identities: activeIdentities.map((i) => ({ id: i.id, timeZone: i.time_zone })),
      at: now,
    });
    capacity = estimateFinish({
      identities: activeIdentities.map((i) => {
        const { day, used } = usedToday.get(i.id)!;
        return { dailyCap: i.daily_cap, sendDays: i.send_days, today: day, usedToday: used };
      }),
      steps: steps.map((s) => ({ delayDays: s.delay_days, delayHours: s.delay_hours, businessDays: s.business_days })),
      leads: counts.eligible,
    });
    if (capacity && capacity.days > LONG_CAMPAIGN_DAYS) {
      warnings.push({
        code: "capacity",
        message: `At ${describeDailyCapacity(capacity.perDay)}, the ${capacity.totalEmails.toLocaleString("en")} emails take until about ${capacity.finishDate} (${capacity.days} days). Add identities or raise their daily caps to finish sooner.`,
      });
    }
  }

  return {
    contentHash,
    checkedAt: now.toISOString(),
    blocking,
    warnings: [...warnings, ...content.warnings],
    audience: counts,
    capacity,
    capacityNeeds,
    links: content.links,
  };
}

/** What blocks, one sentence each with where it is: the reasons a submission or an approval is refused with. */
export function blockingReasons(report: PreflightReport): string[] {
  return report.blocking.map((b) => (b.where ? `${b.where}: ${b.message}` : b.message));
}

/**
 * Every eligible lead would be skipped before its first email: each variant of the first step
 * uses a variable without a fallback that is empty for every lead it could go to. Nothing would
 * be sent, so it blocks like an audience nobody can be emailed in (the per-variable warnings
 * list the leads).
 */
function everyLeadSkipped(eligible: number, firstStep: { label: string; unguarded: string[] }[], emptyNames: Set<string>): PreflightIssue {
  const empty = (variant: { unguarded: string[] }) => variant.unguarded.filter((name) => emptyNames.has(name));
  const names = (variant: { unguarded: string[] }) =>
    empty(variant)
      .map((name) => `{{ ${name} }}`)
      .join(", ");
  const leadsWord = eligible === 1 ? "The 1 lead" : `Every one of the ${eligible.toLocaleString("en")} leads`;
  const example = firstStep.flatMap((v) => v.unguarded.filter((name) => emptyNames.has(name)))[0] ?? "first_name";
  const which =
    firstStep.length === 1
      ? empty(firstStep[0]!).length === 1
        ? `${names(firstStep[0]!)} is empty for ${eligible === 1 ? "it" : "them"} and has no fallback`
        : `one of ${names(firstStep[0]!)}, none with a fallback, is empty for each`
      : `whichever variant it gets, a variable without a fallback is empty (${firstStep.map((v) => `${v.label}: ${names(v)}`).join("; ")})`;
  return {
    code: "every_lead_skipped",
    where: "Step 1",
    message: `${leadsWord} that can be emailed would be skipped before the first email, so nothing would be sent: ${which}. Add a fallback, e.g. {{ ${example} | default: "…" }}, or choose leads that have it.`,
  };
}
