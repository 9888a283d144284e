import type { CapacityNeed, DailyCapacity } from "@/lib/campaigns/preflight/capacity";
import type { ExclusionReason } from "@/lib/campaigns/types";

/**
 * What pre-flight found, as the rep (editor, campaign page) and the approver (review screen) see
 * it. Pure types: the panel renders them in the browser.
 */

/** A lead named by a check (e.g. one a variable is empty for). */
export type PreflightLead = { id: string; name: string; email: string | null };

export type PreflightIssue = {
  /** Stable, for tests and for the panel's icons: see the checks. */
  code: string;
  /** A sentence that says what is wrong and what to do, in a rep's words. */
  message: string;
  /** Where, when one place: "Step 2 · variant B · subject". */
  where?: string;
  /** The leads it concerns, the first few; `moreLeads` says how many others. */
  leads?: PreflightLead[];
  moreLeads?: number;
};

export type CapacityEstimate = {
  /** Eligible leads × steps: the most it will send (fewer when leads reply and stop_on_reply is on). */
  totalEmails: number;
  /** What the chosen identities send together on each sending weekday, grouped by amount. */
  perDay: DailyCapacity[];
  /** ISO weekdays at least one identity sends on. */
  sendDays: number[];
  /** Today, each identity's own as its cap counts it: what any campaign already sent or reserved, and what is left to send. */
  today: { used: number; left: number };
  /** Days from today to the last email, at these caps, if no other campaign shares them from now on. */
  days: number;
  /** The estimated day of the last email (YYYY-MM-DD, in the identities' time zone; the latest date of theirs when they differ). */
  finishDate: string;
};

export type PreflightReport = {
  /** The content hash the checks were run on (the approver reviews exactly this). */
  contentHash: string | null;
  checkedAt: string;
  /** Any of these prevents submission. */
  blocking: PreflightIssue[];
  /** Worth reading, never a block. */
  warnings: PreflightIssue[];
  audience: { matched: number; eligible: number; excluded: Record<ExclusionReason, number> } | null;
  capacity: CapacityEstimate | null;
  /** What the campaign lacks for a capacity estimate: empty exactly when `capacity` is there. */
  capacityNeeds: CapacityNeed[];
  /** The links in each email's body, to check before they go to every lead. */
  links: { where: string; urls: string[] }[];
};
