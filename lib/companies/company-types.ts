import type { LeadSampleData, LeadSource, LeadStatus } from "@/db/schema/leads";
import type { LeadTotal } from "@/lib/leads/lead-list-types";

/** One row of the company list; dates as ISO strings so a page crosses to the client as JSON. */
export type CompanyListRow = {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employeeCount: number | null;
  country: string | null;
  city: string | null;
  leadCount: number;
  /** A vendor's sandbox invented the company: the list marks it as sample data. */
  sampleData: boolean;
  createdAt: string;
};

export type CompanyListPage = {
  rows: CompanyListRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  /** Exact when counting was cheap, else the planner's estimate (same rule as the leads list). */
  total: LeadTotal;
  /** Set when the URL's cursor was not usable: the first page is shown instead. */
  cursorIgnored: boolean;
};

export type CompanyDetail = {
  id: string;
  name: string;
  domain: string | null;
  website: string | null;
  linkedinUrl: string | null;
  industry: string | null;
  employeeCount: number | null;
  annualRevenue: number | null;
  country: string | null;
  city: string | null;
  description: string | null;
  /** A vendor's sandbox invented the company: its page says it is sample data. */
  sampleData: boolean;
  createdAt: string;
  updatedAt: string;
  /** Live leads, in total and per status (every status, zero included). */
  leadCount: number;
  leadsByStatus: Record<LeadStatus, number>;
};

export type CompanyLeadRow = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  email: string | null;
  linkedinUrl: string | null;
  status: LeadStatus;
  score: number;
  source: LeadSource;
  /** Whether a vendor's sandbox invented the lead or wrote some of its values (the Sample mark). */
  sampleData: LeadSampleData | null;
  ownerName: string | null;
  lastActivityAt: string | null;
  createdAt: string;
};

export type CompanyLeadsPage = { rows: CompanyLeadRow[]; nextCursor: string | null };
