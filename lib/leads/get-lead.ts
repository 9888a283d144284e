import "server-only";
import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { companies, leadActivities, leads, profiles } from "@/db/schema";
import { isoMicros } from "@/lib/db-values/iso-micros";
import { decodeInstantIdCursor, encodeInstantIdCursor } from "@/lib/db-values/instant-id-cursor";
import { notFound } from "@/lib/errors";
import type { LeadDetail, LeadRecord, LeadTimelinePage, TimelineEntry } from "./lead-detail-types";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const TIMELINE_PAGE = 30;

/** One lead of the workspace, whatever its state (a deleted lead shows with a restore hint). */
export async function getLeadRecord(tx: Executor, { workspaceId, leadId }: { workspaceId: string; leadId: string }): Promise<LeadRecord> {
  const [row] = await tx
    .select({ lead: leads, version: isoMicros(leads.updatedAt) })
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  if (!row) throw notFound("That lead");
  const { lead, version } = row;
  return {
    id: lead.id,
    firstName: lead.firstName,
    lastName: lead.lastName,
    email: lead.email,
    emailStatus: lead.emailStatus,
    emailVerifiedAt: iso(lead.emailVerifiedAt),
    title: lead.title,
    seniority: lead.seniority,
    department: lead.department,
    phone: lead.phone,
    linkedinUrl: lead.linkedinUrl,
    city: lead.city,
    country: lead.country,
    timeZone: lead.timeZone,
    companyId: lead.companyId,
    companyName: lead.companyName,
    ownerId: lead.ownerId,
    status: lead.status,
    score: lead.score,
    source: lead.source,
    sampleData: lead.sampleData,
    tags: lead.tags,
    customFields: lead.customFields,
    enrichment: lead.enrichment,
    lastActivityAt: iso(lead.lastActivityAt),
    createdAt: lead.createdAt.toISOString(),
    createdBy: lead.createdBy,
    updatedAt: lead.updatedAt.toISOString(),
    version,
    deletedAt: iso(lead.deletedAt),
    deletedBy: lead.deletedBy,
  };
}

/** Whether `cursor` is one a timeline page gave (the REST API refuses any other; the lead page shows the newest page). */
export function isTimelineCursor(cursor: string): boolean {
  return decodeInstantIdCursor(cursor) !== null;
}

/** The lead's timeline, newest first, a page at a time (keyset on created_at, id). */
export async function listLeadTimeline(
  tx: Executor,
  { workspaceId, leadId, before, limit = TIMELINE_PAGE }: { workspaceId: string; leadId: string; before?: string; limit?: number },
): Promise<LeadTimelinePage> {
  // A cursor from a hand-edited link that does not decode is ignored: the newest page shows.
  const after = before ? decodeInstantIdCursor(before) : null;
  const rows = await tx
    .select({
      id: leadActivities.id,
      type: leadActivities.type,
      actorId: leadActivities.actorId,
      payload: leadActivities.payload,
      createdAt: leadActivities.createdAt,
      cursorAt: isoMicros(leadActivities.createdAt),
    })
    .from(leadActivities)
    .where(
      and(
        eq(leadActivities.leadId, leadId),
        eq(leadActivities.workspaceId, workspaceId),
        after ? sql`(${leadActivities.createdAt}, ${leadActivities.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(leadActivities.createdAt), desc(leadActivities.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((r): TimelineEntry => ({
      id: r.id,
      type: r.type,
      actorId: r.actorId,
      payload: r.payload,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: rows.length > limit && last ? encodeInstantIdCursor(last.cursorAt, last.id) : null,
  };
}

/** User ids an entry's payload names (the owners of an owner change). */
function peopleInPayload(entry: TimelineEntry): string[] {
  if (entry.type !== "owner_changed") return [];
  return [entry.payload.before, entry.payload.after].filter((v): v is string => typeof v === "string");
}

/**
 * Everything the lead page and the table's side panel show about one lead: the lead, its
 * company card, the newest page of its timeline and the names of the people mentioned. A lead
 * of another workspace (or none) is "not found".
 */
export async function getLeadDetail(
  tx: Executor,
  { workspaceId, leadId, before }: { workspaceId: string; leadId: string; before?: string },
): Promise<LeadDetail> {
  const lead = await getLeadRecord(tx, { workspaceId, leadId });
  const timeline = await listLeadTimeline(tx, { workspaceId, leadId, before });
  const company = lead.companyId ? await getCompanyCard(tx, workspaceId, lead.companyId) : null;

  const ids = new Set<string>();
  for (const id of [lead.ownerId, lead.createdBy, lead.deletedBy]) if (id) ids.add(id);
  for (const entry of timeline.entries) {
    if (entry.actorId) ids.add(entry.actorId);
    for (const id of peopleInPayload(entry)) ids.add(id);
  }
  // Profiles are visible to teammates only (RLS): someone who left is simply absent.
  const found = ids.size
    ? await tx
        .select({ id: profiles.id, name: profiles.fullName, email: profiles.email })
        .from(profiles)
        .where(inArray(profiles.id, [...ids]))
    : [];
  const people = Object.fromEntries(found.map((p) => [p.id, { name: p.name || p.email, email: p.email }]));
  return { lead, company, timeline, people };
}

async function getCompanyCard(tx: Executor, workspaceId: string, companyId: string) {
  const [company] = await tx
    .select({
      id: companies.id,
      name: companies.name,
      domain: companies.domain,
      website: companies.website,
      linkedinUrl: companies.linkedinUrl,
      industry: companies.industry,
      employeeCount: companies.employeeCount,
      annualRevenue: companies.annualRevenue,
      country: companies.country,
      city: companies.city,
      description: companies.description,
    })
    .from(companies)
    .where(and(eq(companies.id, companyId), eq(companies.workspaceId, workspaceId)));
  if (!company) return null;
  const [leadCount] = await tx
    .select({ n: count() })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), eq(leads.companyId, companyId), isNull(leads.deletedAt)));
  return { ...company, leadCount: leadCount?.n ?? 0 };
}
