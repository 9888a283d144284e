import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db";
import { companies, leads, profiles } from "@/db/schema";
import { LEAD_STATUSES, type LeadStatus } from "@/db/schema/leads";
import { isTimestampText } from "@/lib/db-values/timestamp-text";
import { notFound } from "@/lib/errors";
import type { CompanyDetail, CompanyLeadsPage } from "./company-types";

export const COMPANY_LEADS_PAGE_SIZE = 50;

/**
 * One company of the workspace with its live leads counted per status, in the caller's
 * RLS-scoped transaction. Another workspace's company, or an id that is not one, is "not found".
 */
export async function getCompany(
  tx: Database,
  { workspaceId, companyId }: { workspaceId: string; companyId: string },
): Promise<CompanyDetail> {
  if (!z.uuid().safeParse(companyId).success) throw notFound("That company");
  const [company] = await tx
    .select()
    .from(companies)
    .where(and(eq(companies.id, companyId), eq(companies.workspaceId, workspaceId)));
  if (!company) throw notFound("That company");
  const counts = await tx
    .select({ status: leads.status, n: sql<number>`count(*)::int` })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), eq(leads.companyId, companyId), isNull(leads.deletedAt)))
    .groupBy(leads.status);
  const leadsByStatus = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as Record<LeadStatus, number>;
  for (const { status, n } of counts) leadsByStatus[status] = n;
  return {
    id: company.id,
    name: company.name,
    domain: company.domain,
    website: company.website,
    linkedinUrl: company.linkedinUrl,
    industry: company.industry,
    employeeCount: company.employeeCount,
    annualRevenue: company.annualRevenue,
    country: company.country,
    city: company.city,
    description: company.description,
    sampleData: company.sampleData,
    createdAt: company.createdAt.toISOString(),
    updatedAt: company.updatedAt.toISOString(),
    leadCount: Object.values(leadsByStatus).reduce((a, b) => a + b, 0),
    leadsByStatus,
  };
}

/** Where a page of a company's leads ends: newest first, ties by id. */
const ZLeadCursor = z.object({
  t: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
    .refine(isTimestampText),
  i: z.uuid(),
});

export function decodeCompanyLeadsCursor(raw: string): z.infer<typeof ZLeadCursor> | null {
  try {
    const parsed = ZLeadCursor.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The company's live leads, newest first, a page at a time. A malformed cursor is the
 * caller's to report (decodeCompanyLeadsCursor); here it is the first page.
 */
export async function listCompanyLeads(
  tx: Database,
  { workspaceId, companyId, cursor }: { workspaceId: string; companyId: string; cursor?: string },
): Promise<CompanyLeadsPage> {
  const from = cursor ? decodeCompanyLeadsCursor(cursor) : null;
  const createdKey = sql<string>`to_char(${leads.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const rows = await tx
    .select({
      id: leads.id,
      firstName: leads.firstName,
      lastName: leads.lastName,
      title: leads.title,
      email: leads.email,
      linkedinUrl: leads.linkedinUrl,
      status: leads.status,
      score: leads.score,
      source: leads.source,
      sampleData: leads.sampleData,
      ownerName: profiles.fullName,
      lastActivityAt: leads.lastActivityAt,
      createdAt: leads.createdAt,
      createdKey,
    })
    .from(leads)
    .leftJoin(profiles, eq(profiles.id, leads.ownerId))
    .where(
      and(
        eq(leads.workspaceId, workspaceId),
        eq(leads.companyId, companyId),
        isNull(leads.deletedAt),
        from ? sql`(${leads.createdAt}, ${leads.id}) < (${from.t}::timestamptz, ${from.i}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(COMPANY_LEADS_PAGE_SIZE + 1);
  const page = rows.slice(0, COMPANY_LEADS_PAGE_SIZE);
  const last = page.at(-1);
  return {
    rows: page.map(({ createdKey: _key, createdAt, lastActivityAt, ...row }) => ({
      ...row,
      createdAt: createdAt.toISOString(),
      lastActivityAt: lastActivityAt?.toISOString() ?? null,
    })),
    nextCursor:
      rows.length > COMPANY_LEADS_PAGE_SIZE && last
        ? Buffer.from(JSON.stringify({ t: last.createdKey, i: last.id })).toString("base64url")
        : null,
  };
}
