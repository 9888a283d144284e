import "server-only";
import { sql } from "drizzle-orm";
import { withUserTx, type Executor, type JwtClaims } from "@/db";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { querySampleData } from "@/lib/analytics/sample-data";

export type DashboardActor = { claims: JwtClaims; workspaceId: string; userId: string; role: WorkspaceRole };

/** How far back "new" reaches on the home page. */
export const RECENT_DAYS = 7;

export type Dashboard = {
  awaitingApproval: { id: string; name: string; submittedAt: string | null }[] | null;
  autoPaused: { id: string; name: string; reason: string | null; pausedAt: string | null }[];
  /** Null for roles that cannot own leads (viewers, analysts): they have no leads to be replied to. */
  newReplies: { leadId: string; leadName: string; subject: string | null; receivedAt: string }[] | null;
  /** Null for roles that cannot import (viewers, analysts). */
  imports:
    | {
        id: string;
        fileName: string;
        status: string;
        processed: number;
        total: number;
        inserted: number;
        finishedAt: string | null;
        /** The rows came from a vendor's sandbox: Home marks the import as sample data. */
        sandbox: boolean;
      }[]
    | null;
  /** leadsOwned is null for roles that cannot own leads. */
  headline: {
    leadsOwned: number | null;
    sent: number;
    replied: number;
    meetings: number;
    /** How much of these numbers a vendor's sandbox made (lib/analytics/sample-data.ts): Home says so. */
    sample: { leadsOwned: number; sent: number; replied: number };
  } | null;
};

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/**
 * What needs the user's attention on the home page, read as the user (RLS applies): campaigns
 * awaiting approval (those who approve), campaigns the bounce breaker paused (by their
 * pause_cause: not an admin's pause, though its paused_by goes to null with the admin's account), replies to the
 * user's leads in the last week (roles that own leads), the user's imports running or finished
 * lately (roles that import; everyone's for admins and managers), and a few numbers of the last
 * week from the analytics rollups. What a role cannot have is null, not an empty list, so the
 * page leaves it out instead of saying "nothing yet" for ever.
 */
export async function getDashboard(actor: DashboardActor): Promise<Dashboard> {
  return withUserTx(actor.claims, (tx) => readDashboard(tx, actor));
}

export async function readDashboard(tx: Executor, actor: DashboardActor): Promise<Dashboard> {
  const ws = actor.workspaceId;
  const since = sql`now() - make_interval(days => ${RECENT_DAYS})`;
  const awaitingApproval = can(actor.role, "campaigns.approve")
    ? (
        await tx.execute<{ id: string; name: string; submitted_at: string | null }>(sql`
          select id, name, submitted_at from public.campaigns
           where workspace_id = ${ws} and status = 'pending_approval'
           order by submitted_at nulls last, id limit 5`)
      ).map((r) => ({ id: r.id, name: r.name, submittedAt: iso(r.submitted_at) }))
    : null;
  const autoPaused = (
    await tx.execute<{ id: string; name: string; pause_reason: string | null; paused_at: string | null }>(sql`
      select id, name, pause_reason, paused_at from public.campaigns
       where workspace_id = ${ws} and status = 'paused' and pause_cause = 'bounce_breaker'
       order by paused_at desc nulls last, id limit 5`)
  ).map((r) => ({ id: r.id, name: r.name, reason: r.pause_reason, pausedAt: iso(r.paused_at) }));
  const ownsLeads = can(actor.role, "leads.edit_own");
  const newReplies = !ownsLeads
    ? null
    : (
        await tx.execute<{ lead_id: string; lead_name: string; subject: string | null; received_at: string }>(sql`
      select r.lead_id, coalesce(nullif(trim(concat_ws(' ', l.first_name, l.last_name)), ''), l.email, 'A lead') as lead_name,
             r.subject, r.received_at
        from public.email_replies r
        join public.leads l on l.id = r.lead_id and l.workspace_id = r.workspace_id
       where r.workspace_id = ${ws} and l.owner_id = ${actor.userId} and l.deleted_at is null and r.received_at > ${since}
       order by r.received_at desc, r.id limit 5`)
      ).map((r) => ({ leadId: r.lead_id, leadName: r.lead_name, subject: r.subject, receivedAt: iso(r.received_at)! }));
  const everyone = actor.role === "admin" || actor.role === "manager";
  const imports = !can(actor.role, "imports.run")
    ? null
    : (
        await tx.execute<{
          id: string;
          file_name: string;
          status: string;
          processed_rows: number;
          total_rows: number;
          inserted: number;
          finished_at: string | null;
          sandbox: boolean;
        }>(sql`
      select id, file_name, status, processed_rows, total_rows, inserted, finished_at, sandbox from public.lead_imports
       where workspace_id = ${ws} ${everyone ? sql`` : sql`and created_by = ${actor.userId}`}
         and (status in ('queued', 'running', 'paused') or (status in ('completed', 'failed', 'cancelled') and finished_at > ${since}))
       order by (finished_at is null) desc, coalesce(finished_at, created_at) desc, id limit 5`)
      ).map((r) => ({
        id: r.id,
        fileName: r.file_name,
        status: r.status,
        processed: r.processed_rows,
        total: r.total_rows,
        inserted: r.inserted,
        finishedAt: iso(r.finished_at),
        sandbox: r.sandbox,
      }));
  let headline: Dashboard["headline"] = null;
  if (can(actor.role, "analytics.read")) {
    const [numbers] = await tx.execute<{ sent: number; replied: number; meetings: number }>(sql`
      select coalesce(sum(sent), 0)::int as sent, coalesce(sum(replied), 0)::int as replied, coalesce(sum(meeting), 0)::int as meetings
        from public.analytics_campaign_hours where workspace_id = ${ws} and hour >= date_bin('15 minutes', ${since}, timestamptz '2000-01-01 00:00:00+00')`);
    const [owned] = ownsLeads
      ? await tx.execute<{ n: number }>(sql`
      select coalesce(sum(net), 0)::int as n from public.analytics_lead_hours where workspace_id = ${ws} and owner_id = ${actor.userId}`)
      : [];
    const [sample, [ownedSample]] = await Promise.all([
      querySampleData(tx, { workspaceId: ws, start: new Date(Date.now() - RECENT_DAYS * 86_400_000), end: new Date() }),
      ownsLeads
        ? tx.execute<{ n: number }>(sql`
            select count(*)::int as n from public.leads
             where workspace_id = ${ws} and sample_data is not null and owner_id = ${actor.userId} and deleted_at is null`)
        : [],
    ]);
    headline = {
      leadsOwned: ownsLeads ? (owned?.n ?? 0) : null,
      sample: { leadsOwned: ownedSample?.n ?? 0, sent: sample.sentToSampleLeads, replied: sample.repliesFromSampleLeads },
      sent: numbers?.sent ?? 0,
      replied: numbers?.replied ?? 0,
      meetings: numbers?.meetings ?? 0,
    };
  }
  return { awaitingApproval, autoPaused, newReplies, imports, headline };
}
