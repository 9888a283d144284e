import "server-only";
import { pipeline, Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { withUserTx, type JwtClaims } from "@/db";
import { openUserSnapshot } from "@/db/user-snapshot";
import type { ImportIssueOutcome } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { formulaSafeCsv } from "@/lib/csv/formula-safe-csv";
import { forbidden } from "@/lib/errors";
import { reasonInWords, withDetail } from "./import-views";

export type IssuesActor = { claims: JwtClaims; workspaceId: string; role: WorkspaceRole };
/** null: no such import in this workspace (or not visible to this member). */
export type ImportIssuesFile = { fileName: string; rowCount: number; stream: ReadableStream<Uint8Array> } | null;

type IssueRow = { outcome: ImportIssueOutcome; reason: string; detail: string | null; fields: string[] | null };

const BATCH_ROWS = 1_000;
const dialect = new PgDialect();

/** The Reason cell: outcome, the reason in words, and the row's detail. */
export function reasonCell(outcome: ImportIssueOutcome, reason: string, detail: string | null): string {
  return `${outcome === "failed" ? "Failed" : "Skipped"}: ${withDetail(reasonInWords(outcome, reason), detail)}`;
}

/** The reason column's name: "Reason", unless the file already has one. */
export function reasonHeader(headers: readonly string[]): string {
  return headers.some((h) => h.trim().toLowerCase() === "reason") ? "Import reason" : "Reason";
}

/**
 * The skipped and failed rows of an import as a CSV to fix and upload again: a Reason column
 * first (always in view, and one column to delete before re-uploading), then the row's fields
 * as the file had them under its header as written, in file order. Formula-safe (the leads
 * export's writer). For those who see imports (`imports.read`: analysts and up, as the API's
 * read keys); RLS and the workspace scope make another workspace's import "not found".
 *
 * One read-only REPEATABLE READ transaction as the member on a connection of its own, read
 * through a server-side cursor BATCH_ROWS at a time as the client takes the file; when the
 * client goes away the transaction rolls back and the connection returns to the pool.
 */
export async function openImportIssues(actor: IssuesActor, importId: string): Promise<ImportIssuesFile> {
  if (!can(actor.role, "imports.read")) throw forbidden("Your role cannot see imports. Ask an admin for the analyst role or above.");
  const { conn, close } = await openUserSnapshot(actor.claims);
  try {
    const [found] = await conn<{ file_name: string; headers: string[]; issues: number }[]>`
      select file_name, headers,
        (select count(*)::int from public.lead_import_issues i where i.import_id = li.id and i.workspace_id = li.workspace_id) as issues
      from public.lead_imports li where li.id = ${importId} and li.workspace_id = ${actor.workspaceId}`;
    if (!found) {
      await close("rollback");
      return null;
    }
    // The file holds the uploaded rows as they were (names, addresses): downloading it is an
    // export like the leads', and the audit log says who took it.
    await withUserTx(actor.claims, (tx) =>
      recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.claims.sub,
        action: "imports.issues_exported",
        targetType: "lead_import",
        targetId: importId,
        metadata: { fileName: found.file_name, rowCount: found.issues },
      }),
    );
    const width = found.headers.length;
    const rows = dialect.sqlToQuery(sql`
      select i.outcome, i.reason, i.detail, r.fields
      from public.lead_import_issues i
      left join public.lead_import_rows r on r.import_id = i.import_id and r.workspace_id = i.workspace_id and r.row_number = i.row_number
      where i.import_id = ${importId} and i.workspace_id = ${actor.workspaceId}
      order by i.row_number`);

    async function* records() {
      try {
        yield [reasonHeader(found!.headers), ...found!.headers];
        for await (const batch of conn.unsafe<IssueRow[]>(rows.sql, rows.params as never[]).cursor(BATCH_ROWS)) {
          for (const row of batch) {
            const fields = row.fields ?? [];
            // Short rows are padded so every value stays under its header; long rows keep all they had.
            const padded = fields.length < width ? [...fields, ...Array<string>(width - fields.length).fill("")] : fields;
            yield [reasonCell(row.outcome, row.reason, row.detail), ...padded];
          }
        }
        await close("commit");
      } finally {
        await close("rollback");
      }
    }
    // pipeline, not pipe: a download that stops destroys the source too, which ends the query.
    const csv = pipeline(Readable.from(records()), formulaSafeCsv(), () => {});
    return { fileName: found.file_name, rowCount: found.issues, stream: Readable.toWeb(csv) as ReadableStream<Uint8Array> };
  } catch (error) {
    await close("rollback").catch(() => {});
    throw error;
  }
}
