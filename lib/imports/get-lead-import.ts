import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db";
import { apolloImports, jobRuns, leadImportIssues, leadImports, profiles } from "@/db/schema";
import { memberIdsOfRules } from "./describe-rules";
import { reasonInWords, type ApolloImportFacts, type ImportDetail, type ImportIssueGroup, type ImportProgress } from "./import-views";

type Scope = { workspaceId: string; importId: string };

const progressColumns = {
  id: leadImports.id,
  status: leadImports.status,
  startedAt: leadImports.startedAt,
  finishedAt: leadImports.finishedAt,
  pausedAt: leadImports.pausedAt,
  pausedMs: leadImports.pausedMs,
  totalRows: leadImports.totalRows,
  processedRows: leadImports.processedRows,
  inserted: leadImports.inserted,
  updated: leadImports.updated,
  skipped: leadImports.skipped,
  failed: leadImports.failed,
  companiesCreated: leadImports.companiesCreated,
  error: leadImports.error,
  apolloPeople: sql<number | null>`cardinality(${apolloImports.personIds})`,
  apolloEnrichedRows: apolloImports.enrichedRows,
  apolloEnrichedPeople: apolloImports.enrichedPeople,
  apolloReusedPeople: apolloImports.reusedPeople,
  apolloCredits: apolloImports.creditsConsumed,
};

type ProgressRow = { [K in keyof typeof progressColumns]: unknown } & {
  apolloPeople: number | null;
  apolloEnrichedRows: number | null;
  apolloEnrichedPeople: number | null;
  apolloReusedPeople: number | null;
  apolloCredits: string | number | null;
};

/** The Apollo columns of a row as the page's facts: null for an import that did not come from Apollo. */
function withApolloFacts<T extends ProgressRow>(row: T) {
  const { apolloPeople, apolloEnrichedRows, apolloEnrichedPeople, apolloReusedPeople, apolloCredits, ...rest } = row;
  const apollo: ApolloImportFacts | null =
    apolloPeople === null
      ? null
      : {
          people: Number(apolloPeople),
          enrichedRows: apolloEnrichedRows ?? 0,
          enrichedPeople: apolloEnrichedPeople ?? 0,
          reusedPeople: apolloReusedPeople ?? 0,
          creditsConsumed: Number(apolloCredits ?? 0),
        };
  return { ...rest, apollo };
}

/** An import's own row with its Apollo job's row, if any (one row each, by their keys). */
const apolloOfImport = and(eq(apolloImports.importId, leadImports.id), eq(apolloImports.workspaceId, leadImports.workspaceId));

/**
 * One import of the workspace as its page shows it; null when it does not exist, belongs to
 * another workspace, or RLS hides it (only importers and analysts see imports): all three read as "not found".
 */
export async function getLeadImport(tx: Database, { workspaceId, importId }: Scope): Promise<ImportDetail | null> {
  const [row] = await tx
    .select({
      ...progressColumns,
      fileName: leadImports.fileName,
      fileSize: leadImports.fileSize,
      preset: leadImports.preset,
      source: leadImports.source,
      sandbox: leadImports.sandbox,
      createdById: leadImports.createdBy,
      createdByName: sql<string | null>`coalesce(${profiles.fullName}, ${profiles.email})`,
      createdAt: leadImports.createdAt,
      encoding: leadImports.encoding,
      delimiter: leadImports.delimiter,
      headers: leadImports.headers,
      mapping: leadImports.mapping,
      rules: leadImports.rules,
      jobEventId: leadImports.jobEventId,
    })
    .from(leadImports)
    .leftJoin(profiles, eq(profiles.id, leadImports.createdBy))
    .leftJoin(apolloImports, apolloOfImport)
    .where(and(eq(leadImports.id, importId), eq(leadImports.workspaceId, workspaceId)));
  if (!row) return null;
  const { createdById, createdByName, ...rest } = withApolloFacts(row);
  return { ...rest, createdBy: createdById ? { id: createdById, name: createdByName ?? "A former member" } : null };
}

/**
 * The moving part of an import, for the page's live poll: its row, and for an import from
 * Apollo its job's row (how many people are revealed so far, the credits spent), by their keys.
 */
export async function getLeadImportProgress(tx: Database, { workspaceId, importId }: Scope): Promise<ImportProgress | null> {
  const [row] = await tx
    .select(progressColumns)
    .from(leadImports)
    .leftJoin(apolloImports, apolloOfImport)
    .where(and(eq(leadImports.id, importId), eq(leadImports.workspaceId, workspaceId)));
  return row ? withApolloFacts(row) : null;
}

/** The skipped and failed rows of an import counted by reason: failed first (they need fixing), the largest groups first. */
export async function listImportIssueGroups(tx: Database, { workspaceId, importId }: Scope): Promise<ImportIssueGroup[]> {
  const rows = await tx
    .select({ outcome: leadImportIssues.outcome, reason: leadImportIssues.reason, rows: count() })
    .from(leadImportIssues)
    .where(and(eq(leadImportIssues.importId, importId), eq(leadImportIssues.workspaceId, workspaceId)))
    .groupBy(leadImportIssues.outcome, leadImportIssues.reason)
    .orderBy(desc(leadImportIssues.outcome), sql`count(*) desc`, asc(leadImportIssues.reason));
  return rows.map((r) => ({ ...r, words: reasonInWords(r.outcome, r.reason) }));
}

/** Names of the members imports' rules name (owners), as this member may see them. */
export async function namesOfRuleMembers(tx: Database, ...rules: unknown[]): Promise<Map<string, string>> {
  const ids = [...new Set(rules.flatMap((r) => memberIdsOfRules(r)))];
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: profiles.id, name: sql<string>`coalesce(${profiles.fullName}, ${profiles.email})` })
    .from(profiles)
    .where(inArray(profiles.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The Jobs page's run of an import's job, found by the event that started it. Only admins
 * read job runs (RLS), so for anyone else, and when Inngest runs the jobs elsewhere, this is
 * null and the page shows no link.
 */
export async function findImportJobRunId(
  tx: Database,
  { workspaceId, jobEventId }: { workspaceId: string; jobEventId: string | null },
): Promise<string | null> {
  // The local executor's event ids are uuids; Inngest's are not, and have no run here.
  if (!jobEventId || !z.uuid().safeParse(jobEventId).success) return null;
  const [run] = await tx
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .where(and(eq(jobRuns.eventId, jobEventId), eq(jobRuns.workspaceId, workspaceId), isNull(jobRuns.replayOf)))
    .orderBy(asc(jobRuns.createdAt))
    .limit(1);
  return run?.id ?? null;
}
