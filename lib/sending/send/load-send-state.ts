import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import type { CampaignStatus, LeadStatus, MessageStatus, SuppressionReason } from "@/db/schema";
import { Batcher } from "@/lib/batching/batcher";
import { suppressionMatch } from "@/lib/suppressions/suppression-match";

export type StoredMessage = {
  id: string;
  status: MessageStatus;
  step_position: number;
  step_id: string | null;
  cap_day: string | null;
  /** Epoch milliseconds. */
  sent_at: number | null;
  /** Epoch milliseconds: when it was claimed, i.e. when its Idempotency-Key was first used. */
  created_at: number;
  rfc_message_id: string | null;
  to_email: string | null;
  from_address: string | null;
  reply_to: string | null;
  subject: string | null;
  html: string | null;
  text_body: string | null;
  headers: Record<string, string>;
  /** The approved content hash it was written under (claimStep sends it only under that one). */
  content_hash: string | null;
};

/** Everything the send step decides on, read in one statement with the enrollment locked. */
export type SendState = {
  enrollment_id: string;
  workspace_id: string;
  campaign_id: string;
  lead_id: string;
  identity_id: string | null;
  enrollment_status: string;
  generation: number;
  next_step: number;
  /** Epoch milliseconds. */
  next_send_at: number | null;
  campaign_status: CampaignStatus;
  /** Whether a reply ends the lead's sequence in this campaign (a lead who replied gets no more of it). */
  stop_on_reply: boolean;
  /** A reply from the lead received since this enrollment began, not read as automatic (out of office, auto-reply): lead-refusal.ts. */
  replied_since_enrolled: boolean;
  campaign_updated_at: string;
  approved_content_hash: string | null;
  lead_email: string | null;
  lead_status: LeadStatus;
  lead_deleted: boolean;
  lead_time_zone: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  seniority: string | null;
  department: string | null;
  company_name: string | null;
  city: string | null;
  country: string | null;
  custom_fields: Record<string, unknown>;
  enrichment: Record<string, unknown>;
  workspace_time_zone: string;
  daily_cap: number | null;
  send_days: number[] | null;
  send_from_minute: number | null;
  send_until_minute: number | null;
  identity_time_zone: string | null;
  suppressed: boolean;
  /** Why the address itself is suppressed (null when only its domain is, or it is not). */
  suppression_reason: SuppressionReason | null;
  /** Every message of the enrollment so far, by step position. */
  messages: StoredMessage[];
};

type SendTarget = { workspaceId: string; enrollmentId: string };

/**
 * The enrollment (locked FOR UPDATE, so two runs of one enrollment — an old generation still
 * in its step while a resume starts the next — take turns; `lock: false` for the send step's
 * unlocked claim, whose own statement locks it), its campaign, lead, workspace and
 * mailbox, whether the lead's address is suppressed, and its messages so far.
 *
 * Unlocked, the reads of the sends that start together (the runs of one claim start in one
 * turn of the event loop) share one statement: each read is a round trip, and a round trip
 * wakes both processes, which is most of what a read this small costs (bench:campaign).
 */
export async function loadSendState(tx: Executor, target: SendTarget, { lock = true }: { lock?: boolean } = {}) {
  if (!lock) return unlockedReads(tx).submit(target);
  const [row] = await tx.execute<SendState>(sql`${sendStates([target])} for update of e`);
  return row;
}

/** One batcher per pool: a read joins the others sent through the same pool. */
const batchers = new WeakMap<Executor, Batcher<SendTarget, SendState | undefined>>();

function unlockedReads(db: Executor): Batcher<SendTarget, SendState | undefined> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new Batcher(async (targets) => {
      const rows = await db.execute<SendState & { target: number }>(sendStates(targets));
      const byTarget = new Map(rows.map(({ target, ...row }) => [target, row as SendState]));
      return targets.map((_, i) => byTarget.get(i + 1));
    });
    batchers.set(db, batcher);
  }
  return batcher;
}

/** The state of each target, tagged with its 1-based place in `targets`. */
function sendStates(targets: SendTarget[]): SQL {
  const ids = targets.map((t) => t.enrollmentId);
  const workspaces = targets.map((t) => t.workspaceId);
  return sql`
    select q.target::int as target, e.id as enrollment_id, e.workspace_id, e.campaign_id, e.lead_id, e.identity_id, e.status as enrollment_status, e.generation,
      e.next_step, (extract(epoch from e.next_send_at) * 1000)::float8 as next_send_at, c.status as campaign_status, c.stop_on_reply, c.updated_at::text as campaign_updated_at, c.approved_content_hash,
      l.email as lead_email, l.status as lead_status, (l.deleted_at is not null) as lead_deleted, l.time_zone as lead_time_zone,
      l.first_name, l.last_name, l.title, l.seniority, l.department, l.company_name, l.city, l.country, l.custom_fields, l.enrichment,
      w.time_zone as workspace_time_zone,
      i.daily_cap, i.send_days, i.send_from_minute, i.send_until_minute, i.time_zone as identity_time_zone,
      ${suppressionMatch(sql`e.workspace_id`, sql`l.email`)} as suppressed,
      (select sr.reason from public.suppressions sr where sr.workspace_id = e.workspace_id and sr.kind = 'email'
        and sr.value = lower(btrim(l.email))) as suppression_reason,
      -- By the lead's own index (lead_id, received_at); the workspace checked on the rows found.
      exists (select 1 from public.reply_classifications r where r.lead_id = e.lead_id and r.received_at >= e.created_at
        and (r.workspace_id = e.workspace_id) is true
        -- Unread yet counts: a reply stops the sequence until its reading says it was automatic.
        and (r.category is null or r.category not in ('out_of_office', 'auto_reply'))) as replied_since_enrolled,
      coalesce((select json_agg(json_build_object('id', m.id, 'status', m.status, 'step_position', m.step_position,
          'step_id', m.step_id, 'cap_day', m.cap_day, 'sent_at', (extract(epoch from m.sent_at) * 1000)::float8,
          'created_at', (extract(epoch from m.created_at) * 1000)::float8, 'rfc_message_id', m.rfc_message_id, 'to_email', m.to_email,
          -- The rendered content only of a message still to send (a retry sends it as stored).
          'from_address', m.from_address, 'reply_to', m.reply_to, 'subject', m.subject,
          'html', case when m.status in ('queued', 'sending') then m.html end,
          'text_body', case when m.status in ('queued', 'sending') then m.text_body end, 'headers', m.headers,
          'content_hash', m.content_hash) order by m.step_position)
        from public.email_messages m where m.enrollment_id = e.id), '[]'::json) as messages
    from unnest(${sql.param(ids)}::uuid[], ${sql.param(workspaces)}::uuid[]) with ordinality as q(enrollment_id, workspace_id, target)
    -- The enrollment's rows by their primary keys alone: the composite foreign keys keep them in
    -- the enrollment's workspace. With a workspace_id condition as well, the planner may read
    -- them through any index starting with workspace_id and filter: right after a large import
    -- or a launch, before autovacuum analyses the new rows, it believes the workspace holds a
    -- row or two and picks one of those as readily as the key (seen with auto_explain in
    -- npm run bench:campaign: every lead of the workspace, then every message, read per send).
    -- The workspace is checked on the row found by its key, not as an index condition (IS TRUE
    -- keeps the planner from choosing an index that starts with workspace_id).
    -- The keys are also given to e itself as a list (id = any): joined only to the unnested keys,
    -- statistics that see a large table holding almost no rows (many pages, few tuples: a table
    -- whose rows were deleted, or a launch's rows not analysed yet) made a sequential scan of
    -- every enrollment, once per statement, look cheaper than looking each one up; with the
    -- list as e's own condition, such a scan pays for testing it on every row, and the key's
    -- index wins (enrollment-lookup-plan.integration.test.ts recreates those statistics).
    join public.campaign_enrollments e on e.id = q.enrollment_id and e.id = any(${sql.param(ids)}::uuid[])
      and (e.workspace_id = q.workspace_id) is true
    join public.campaigns c on c.id = e.campaign_id
    join public.leads l on l.id = e.lead_id
    join public.workspaces w on w.id = e.workspace_id
    left join public.sending_identities i on i.id = e.identity_id`;
}
