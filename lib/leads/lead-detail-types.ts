import type { ActivityType, EmailStatus, LeadSampleData, LeadSource, LeadStatus } from "@/db/schema";
import type { CompanyDetail } from "@/lib/companies/company-types";

/**
 * One lead as its page and the table's side panel show it (getLeadDetail). Plain JSON: dates
 * are ISO strings, so the detail crosses into client components unchanged.
 */
export type LeadRecord = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  emailStatus: EmailStatus;
  emailVerifiedAt: string | null;
  title: string | null;
  seniority: string | null;
  department: string | null;
  phone: string | null;
  linkedinUrl: string | null;
  city: string | null;
  country: string | null;
  timeZone: string | null;
  companyId: string | null;
  companyName: string | null;
  ownerId: string | null;
  status: LeadStatus;
  score: number;
  source: LeadSource;
  /** Sample data from a vendor's sandbox: the whole lead or some of its values (lead-sample-origin.ts says from where). */
  sampleData: LeadSampleData | null;
  tags: string[];
  customFields: Record<string, unknown>;
  enrichment: Record<string, unknown>;
  lastActivityAt: string | null;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  /** updated_at to the microsecond: what an edit sends back to prove it saw the latest lead. */
  version: string;
  deletedAt: string | null;
  deletedBy: string | null;
};

/** The lead's company as its card shows it: the company's profile and live lead count (this lead included). */
export type LeadCompanyCard = Omit<CompanyDetail, "createdAt" | "updatedAt" | "leadsByStatus" | "sampleData">;

export type TimelineEntry = {
  id: string;
  type: ActivityType;
  actorId: string | null;
  createdAt: string;
  payload: Record<string, unknown>;
};

export type LeadTimelinePage = {
  entries: TimelineEntry[];
  /** Pass as `before` for the older entries; null when there are none. */
  nextCursor: string | null;
};

export type LeadDetail = {
  lead: LeadRecord;
  company: LeadCompanyCard | null;
  timeline: LeadTimelinePage;
  /**
   * Names of everyone the detail mentions (owner, creator, actors, owners in owner changes),
   * by user id. Someone no longer in the workspace is absent: show "a former member".
   */
  people: Record<string, { name: string; email: string }>;
};
