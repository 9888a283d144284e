import type { ImportIssueOutcome, ImportStatus } from "@/db/schema/lead-import-enums";
import type { LeadSource } from "@/db/schema/lead-enums";
import { FAIL_REASONS, SKIP_REASONS } from "./types";

/** What the history list and the import's page show of an import (browser-safe). */
export type ImportSummary = {
  id: string;
  fileName: string;
  fileSize: number;
  status: ImportStatus;
  preset: string | null;
  /** Where its rows came from: `csv`, `apollo`, `phantombuster`. */
  source: LeadSource;
  /** Served by a vendor's sandbox when it was created: its rows are sample data. */
  sandbox: boolean;
  /** The rules chosen when it was started (match rule, owners, tags); null while mapping. */
  rules: Record<string, unknown> | null;
  createdBy: { id: string; name: string } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Paused since (null unless paused), and the time spent in earlier pauses. */
  pausedAt: Date | null;
  pausedMs: number;
  totalRows: number;
  processedRows: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
};

/** The part of an import that moves while its job runs: what the page polls. */
export type ImportProgress = Pick<
  ImportSummary,
  | "id"
  | "status"
  | "startedAt"
  | "finishedAt"
  | "pausedAt"
  | "pausedMs"
  | "totalRows"
  | "processedRows"
  | "inserted"
  | "updated"
  | "skipped"
  | "failed"
> & {
  error: string | null;
  companiesCreated: number;
  /** For an import from Apollo's search: what its job revealed so far and the credits Apollo reported. */
  apollo: ApolloImportFacts | null;
};

export type ImportDetail = ImportSummary &
  ImportProgress & {
    encoding: string;
    delimiter: string;
    headers: string[];
    mapping: Record<string, unknown> | null;
    jobEventId: string | null;
  };

export type ApolloImportFacts = {
  people: number;
  /** People with their row written so far (revealed now, or reused from an earlier reveal). */
  enrichedRows: number;
  enrichedPeople: number;
  reusedPeople: number;
  creditsConsumed: number;
};

/** Skipped or failed rows that share a reason. */
export type ImportIssueGroup = { outcome: ImportIssueOutcome; reason: string; words: string; rows: number };

/** A reason code in words; a code this version does not know is shown as it is rather than hidden. */
export function reasonInWords(outcome: ImportIssueOutcome, reason: string): string {
  const words: Record<string, string> = outcome === "skipped" ? SKIP_REASONS : FAIL_REASONS;
  return Object.hasOwn(words, reason) ? words[reason]! : reason.replaceAll("_", " ");
}

/**
 * A reason's words with the row's detail, once: most details begin with the reason's own words
 * ("Row has a different number of columns than the header: it has 7 values…"), and are then
 * the whole message; any other detail follows the words in parentheses.
 */
export function withDetail(words: string, detail: string | null | undefined): string {
  if (!detail) return words;
  return detail.startsWith(words) ? detail : `${words} (${detail})`;
}
