import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { leads } from "@/db/schema";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import { readAudiencePage } from "@/lib/campaigns/audience/resolve-audience";
import type { StoredAudience } from "@/lib/campaigns/types";
import { ENROLL_BATCH_SIZE, type StartedEnrollment } from "./batches";
import { isKnownTimeZone, nextWindowStart, stepDueAt, type SendingWindow } from "@/lib/sending/window";
import { pgArray } from "@/db/pg-array";

export type EnrollBatchResult = {
  /** Runs to start (none while the campaign is paused: the resume starts them). */
  started: StartedEnrollment[];
  /** The last lead of the batch's page of the audience, where the next starts; null when the audience is done. */
  after: string | null;
  /** Leads enrolled by the batches so far (the identity rotation's position). */
  offset: number;
  /** Set when the launch must not go on: the campaign is no longer running or paused. */
  halted: CampaignStatus | "no_identity" | "no_step" | null;
};

type LaunchContext = {
  status: CampaignStatus;
  audience: StoredAudience | null;
  authorId: string | null;
  workspaceTimeZone: string;
  delayDays: number | null;
  delayHours: number | null;
  businessDays: boolean | null;
};

type Identity = { id: string; window: SendingWindow };

/**
 * One batch of a launch, in the caller's service transaction: of the next `size` leads of the
 * audience (after `after`, in id order), those the campaign may email NOW — the rule and its
 * exclusions (no address, invalid, unsubscribed, bounced, suppressed, active in another
 * campaign) resolved again at launch, not as they were at approval — are enrolled, each with
 * one identity by rotation and its first send time: the first step's delay from now, moved
 * into that identity's window in the lead's time zone (the workspace's when the lead has none).
 *
 * The campaign row is held FOR SHARE: a pause, resume or stop waits for the batch, so a resume
 * that commits after it sees its enrollments, and one that committed before it is seen here.
 * A batch run again (a retry after a crash past its commit) inserts nothing new and returns
 * the batch's active enrollments again: their start events are deduplicated by id.
 */
export async function enrollAudienceBatch(
  tx: Executor,
  input: { workspaceId: string; campaignId: string; after: string | null; offset: number; size?: number; now?: Date },
): Promise<EnrollBatchResult> {
  const { workspaceId, campaignId, after, offset, size = ENROLL_BATCH_SIZE, now = new Date() } = input;
  const done = (halted: EnrollBatchResult["halted"]): EnrollBatchResult => ({ started: [], after: null, offset, halted });

  const [context] = await tx.execute<Record<keyof LaunchContext, unknown>>(sql`
    select c.status, c.audience, coalesce(c.owner_id, c.approved_by) as "authorId", w.time_zone as "workspaceTimeZone",
      s.delay_days as "delayDays", s.delay_hours as "delayHours", s.business_days as "businessDays"
    from public.campaigns c
    join public.workspaces w on w.id = c.workspace_id
    left join public.campaign_steps s on s.campaign_id = c.id and s.workspace_id = c.workspace_id and s.position = 1
    where c.id = ${campaignId} and c.workspace_id = ${workspaceId}
    for share of c`);
  if (!context) return done("stopped");
  const launch = context as unknown as LaunchContext;
  if (launch.status !== "running" && launch.status !== "paused") return done(launch.status);
  if (launch.delayDays === null || !launch.audience) return done("no_step");

  const identities = (
    await tx.execute<{ id: string; days: number[]; from_minute: number; until_minute: number }>(sql`
      select i.id, i.send_days as days, i.send_from_minute as from_minute, i.send_until_minute as until_minute
      from public.campaign_identities ci
      join public.sending_identities i on i.id = ci.identity_id and i.workspace_id = ci.workspace_id
      where ci.campaign_id = ${campaignId} and ci.workspace_id = ${workspaceId} and i.archived_at is null
      order by i.id`)
  ).map((i): Identity => ({ id: i.id, window: { days: i.days.map(Number), fromMinute: i.from_minute, untilMinute: i.until_minute } }));
  if (identities.length === 0) return done("no_identity");

  const scope = { workspaceId, userId: launch.authorId ?? "00000000-0000-0000-0000-000000000000", audience: launch.audience, campaignId };
  const page = await readAudiencePage<{ time_zone: string | null }>(tx, scope, { after, size }, { time_zone: sql`${leads.timeZone}` });
  const next = page.full ? page.last : null;
  const candidates = page.eligible;
  if (candidates.length === 0) return { started: [], after: next, offset, halted: null };

  const step = { delayDays: launch.delayDays, delayHours: launch.delayHours ?? 0, businessDays: launch.businessDays ?? false };
  const zones = new Map<string, boolean>();
  const known = (zone: string) => {
    let ok = zones.get(zone);
    if (ok === undefined) zones.set(zone, (ok = isKnownTimeZone(zone)));
    return ok;
  };
  const leadIds: string[] = [];
  const identityIds: string[] = [];
  const sendAts: string[] = [];
  // The workspace's zone is checked as well: the database only bounds its length, and one Intl
  // does not know must not make the launch throw (the send step falls back the same way).
  const workspaceZone = known(launch.workspaceTimeZone) ? launch.workspaceTimeZone : "UTC";
  candidates.forEach((lead, index) => {
    const identity = identities[(offset + index) % identities.length]!;
    const zone = lead.time_zone && known(lead.time_zone) ? lead.time_zone : workspaceZone;
    leadIds.push(lead.id);
    identityIds.push(identity.id);
    sendAts.push(nextWindowStart(stepDueAt(now, step, zone), identity.window, zone).toISOString());
  });

  // New enrollments, then the batch's leads already enrolled and active (this batch run before
  // a crash, or a relaunch): the statement's snapshot does not see its own inserts, so the two
  // halves never overlap.
  const rows = await tx.execute<{ id: string; generation: number; identity_id: string | null }>(sql`
    with inserted as (
      insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
      select ${workspaceId}, ${campaignId}, b.lead_id, b.identity_id, b.next_send_at
      from unnest(${pgArray(leadIds)}::uuid[], ${pgArray(identityIds)}::uuid[], ${pgArray(sendAts)}::timestamptz[])
        as b(lead_id, identity_id, next_send_at)
      on conflict (campaign_id, lead_id) do nothing
      returning id, generation, identity_id
    )
    select id, generation, identity_id from inserted
    union all
    select e.id, e.generation, e.identity_id from unnest(${pgArray(leadIds)}::uuid[]) as b(lead_id)
    -- Each by the unique (campaign, lead) key, a probe of its own (LIMIT 1: not a join the
    -- planner could make a scan of all the campaign's enrollments, which grow with every batch).
    cross join lateral (select e.id, e.generation, e.identity_id from public.campaign_enrollments e
      where e.campaign_id = ${campaignId} and e.lead_id = b.lead_id and e.workspace_id = ${workspaceId} and e.status = 'active'
      limit 1) e`);

  const started =
    launch.status === "running"
      ? rows
          .filter((r) => r.identity_id !== null)
          .map((r) => ({ enrollmentId: r.id, generation: Number(r.generation), identityId: r.identity_id! }))
      : [];
  return { started, after: next, offset: offset + candidates.length, halted: null };
}
