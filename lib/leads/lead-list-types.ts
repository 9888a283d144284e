import type { EmailStatus, LeadSampleData, LeadSource, LeadStatus } from "@/db/schema/leads";

/**
 * What the lead table shows per row and per page: the contract between the list service
 * (lib/leads/list-leads.ts) and the table (app/(app)/leads). Dates are ISO strings so a page
 * crosses the server/client boundary as plain JSON.
 */
export type LeadListRow = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  companyId: string | null;
  companyName: string | null;
  email: string | null;
  emailStatus: EmailStatus;
  status: LeadStatus;
  ownerId: string | null;
  ownerName: string | null;
  score: number;
  /** The AI enrichment's fit score (0–100) and icebreaker, when the lead has them. */
  fitScore: number | null;
  icebreaker: string | null;
  source: LeadSource;
  /** Sample data from a vendor's sandbox: the whole lead (`lead`) or some of its values; null for none. */
  sampleData: LeadSampleData | null;
  tags: string[];
  lastActivityAt: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
};

/** Exact when counting was cheap; otherwise the planner's estimate, shown as "about 1.2M". */
export type LeadTotal = { kind: "exact"; value: number } | { kind: "estimate"; value: number };

export type LeadListPage = {
  rows: LeadListRow[];
  /** Cursors for the next and previous pages; null at either end. */
  nextCursor: string | null;
  prevCursor: string | null;
  total: LeadTotal;
  /** What the list could not use from the request (a stale or hand-edited page link), to show above the table. */
  notices: string[];
};
