import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import type { LeadSampleData } from "@/db/schema";
import { textSortKey } from "@/db/schema/_sort-key";
import type { ReplyActionKind, ReplyCategory, ReplyClassificationState, ReplySource } from "./reply-categories";
import { encodeReplyCursor, type ReplyCursor, type ReplyFilters } from "./reply-filters";

/** One reply as the Replies inbox and a campaign's replies list show it. */
export type ReplyListItem = {
  id: string;
  source: ReplySource;
  receivedAt: string;
  state: ReplyClassificationState;
  category: ReplyCategory | null;
  confidence: number | null;
  subject: string | null;
  /** The start of the reply, as text. */
  snippet: string;
  leadId: string;
  leadName: string;
  leadEmail: string | null;
  /** The lead's source, and whether a vendor's sandbox invented it or wrote some of its values: the inbox marks sample replies. */
  leadSource: string;
  leadSampleData: LeadSampleData | null;
  campaignId: string | null;
  campaignName: string | null;
  /** The step whose email was answered (known for replies to our own emails). */
  step: number | null;
  action: ReplyActionKind | null;
  undone: boolean;
  /** An out-of-office reading's return date (YYYY-MM-DD), when the reply gave one. */
  returnDate: string | null;
};

export type ReplyPage = { rows: ReplyListItem[]; nextCursor: string | null };

export const REPLY_PAGE_SIZE = 50;

/** A Resend reply's key is its email_replies id: cast only what is one. */
const UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

type Row = {
  id: string;
  source: ReplySource;
  received_at: string;
  state: ReplyClassificationState;
  category: ReplyCategory | null;
  confidence: number | null;
  subject: string | null;
  snippet: string;
  lead_id: string;
  lead_name: string;
  lead_email: string | null;
  lead_source: string;
  lead_sample_data: LeadSampleData | null;
  campaign_id: string | null;
  campaign_name: string | null;
  step: number | null;
  action: ReplyActionKind | null;
  undone: boolean;
  return_date: string | null;
};

/**
 * A workspace's replies, newest first, a page at a time (keyset on received_at and id, which the
 * inbox, category and campaign indexes serve in this order), in the reader's RLS transaction:
 * only what their session may read, of leads not deleted. Filters: a category (`unread`: not
 * read yet, failed, or no model), a campaign.
 */
export async function listReplies(
  tx: Database,
  {
    workspaceId,
    category,
    campaignId,
    cursor,
    limit = REPLY_PAGE_SIZE,
  }: { workspaceId: string; category?: ReplyFilters["category"]; campaignId?: string; cursor?: ReplyCursor | null; limit?: number },
): Promise<ReplyPage> {
  const where: SQL[] = [sql`rc.workspace_id = ${workspaceId}`];
  if (campaignId) where.push(sql`rc.campaign_id = ${campaignId}`);
  if (category === "unread") where.push(sql`rc.state <> 'classified'`);
  else if (category) where.push(sql`rc.category = ${category}`);
  if (cursor) where.push(sql`(rc.received_at, rc.id) < (${cursor.receivedAt}::timestamptz, ${cursor.id}::uuid)`);
  const rows = await tx.execute<Row>(sql`
    select rc.id, rc.source, rc.received_at::text as received_at, rc.state, rc.category, rc.confidence, rc.subject,
      left(regexp_replace(rc.body, '[[:space:]]+', ' ', 'g'), 160) as snippet,
      l.id as lead_id, coalesce(nullif(btrim(concat_ws(' ', l.first_name, l.last_name)), ''), l.email, 'Unnamed lead') as lead_name,
      l.email as lead_email, l.source as lead_source, l.sample_data as lead_sample_data, rc.campaign_id, c.name as campaign_name,
      (select m.step_position from public.email_replies er
        join public.email_messages m on m.id = er.message_id and m.workspace_id = er.workspace_id
        where er.workspace_id = rc.workspace_id
          and er.id = case when rc.source = 'resend' and rc.reply_key ~ ${UUID_PATTERN} then rc.reply_key::uuid end) as step,
      rc.action->>'kind' as action, rc.undone_at is not null as undone, rc.return_date::text as return_date
    from public.reply_classifications rc
    join public.leads l on l.id = rc.lead_id and l.workspace_id = rc.workspace_id and l.deleted_at is null
    left join public.campaigns c on c.id = rc.campaign_id and c.workspace_id = rc.workspace_id
    where ${sql.join(where, sql` and `)}
    order by rc.received_at desc nulls last, rc.id desc nulls last
    limit ${limit + 1}`);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : [...rows];
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      id: r.id,
      source: r.source,
      receivedAt: new Date(r.received_at).toISOString(),
      state: r.state,
      category: r.category,
      confidence: r.confidence === null ? null : Number(r.confidence),
      subject: r.subject,
      snippet: r.snippet,
      leadId: r.lead_id,
      leadName: r.lead_name,
      leadEmail: r.lead_email,
      leadSource: r.lead_source,
      leadSampleData: r.lead_sample_data,
      campaignId: r.campaign_id,
      campaignName: r.campaign_name,
      step: r.step === null ? null : Number(r.step),
      action: r.action,
      undone: r.undone,
      returnDate: r.return_date,
    })),
    nextCursor: more && last ? encodeReplyCursor({ receivedAt: last.received_at, id: last.id }) : null,
  };
}

/** The campaigns that have replies, by name: the inbox's campaign filter offers only these. */
export async function listReplyCampaigns(tx: Database, { workspaceId }: { workspaceId: string }): Promise<{ id: string; name: string }[]> {
  return tx.execute<{ id: string; name: string }>(sql`
    select c.id, c.name from public.campaigns c
    where c.workspace_id = ${workspaceId}
      and exists (select 1 from public.reply_classifications rc where rc.campaign_id = c.id and rc.workspace_id = c.workspace_id)
    order by ${textSortKey(sql`c.name`)}, c.id
    limit 500`);
}
