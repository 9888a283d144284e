import "server-only";
import { pipeline, Readable } from "node:stream";
import { and, sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { serviceDb, withUserTx, type JwtClaims } from "@/db";
import { sqlStateOf } from "@/db/sql-state";
import { openUserSnapshot } from "@/db/user-snapshot";
import { leads } from "@/db/schema";
import { textSortKey } from "@/db/schema/_sort-key";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { formulaSafeCsv } from "@/lib/csv/formula-safe-csv";
import { forbidden } from "@/lib/errors";
import { idIn } from "@/lib/leads/bulk/selection-sql";
import { matchingLeadsCondition, ownerNameOf } from "@/lib/leads/list-leads";
import { COLUMN_SORTS } from "@/lib/leads/list-sorts";
import { leadListSearchParams, type LeadListState } from "@/lib/leads/list-state";
import { exportColumns } from "./export-columns";

export type ExportActor = { claims: JwtClaims; workspaceId: string; userId: string; role: WorkspaceRole };
export type ExportRequest = { state: LeadListState; ids?: string[] };
/** `columns`: the header row's names (the CSV's first line; there is no stream when no lead matches). */
export type LeadExport = { rowCount: number; columns: string[]; stream: ReadableStream<Uint8Array> | null };

/**
 * The viewer's zone when PostgreSQL knows it too, else UTC (the headers name it). The URL's zone
 * was checked with Intl, which still knows a few names the database's tzdata has dropped (such as
 * US/Pacific-New): the rows' `at time zone` then failed after the export was audited and its
 * answer had begun, leaving a broken download.
 */
async function zoneTheDatabaseKnows(zone: string): Promise<string> {
  if (zone === "UTC") return zone;
  try {
    await serviceDb().execute(sql`select now() at time zone ${zone}`);
    return zone;
  } catch (error) {
    if (sqlStateOf(error) === "22023") return "UTC";
    throw error;
  }
}

/** Rows fetched from PostgreSQL per round trip while the file streams. */
const BATCH_ROWS = 1_000;
const dialect = new PgDialect();

/**
 * The CSV of a table view (or of the selected leads in it): its visible columns in its order,
 * UTF-8 with a BOM (so spreadsheets read accents right), quoted by csv-stringify, and with any
 * cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) prefixed
 * with a quote. Only roles with `data.export`.
 *
 * One read-only REPEATABLE READ transaction as the user (RLS applies) on a connection of its
 * own: the count and the rows come from the same snapshot, and the rows are read through a
 * server-side cursor, BATCH_ROWS at a time as the client consumes the file, never all at once.
 * The audit entry (filter, selection, columns, row count) is committed before the first byte.
 * When the client goes away the transaction rolls back and the connection returns to the pool.
 */
export async function openLeadExport(actor: ExportActor, request: ExportRequest): Promise<LeadExport> {
  if (!can(actor.role, "data.export")) throw forbidden("Your role cannot export leads. Ask an admin for the analyst role or above.");
  const { state } = request;
  const timeZone = await zoneTheDatabaseKnows(state.tz ?? "UTC");
  const columns = exportColumns(state.columns, timeZone, actor.workspaceId);
  const where = and(
    matchingLeadsCondition({ workspaceId: actor.workspaceId, userId: actor.userId, state }),
    request.ids ? idIn(leads.id, request.ids) : undefined,
  ) as SQL;
  const count = dialect.sqlToQuery(sql`select count(*)::int as n from ${leads} where ${where}`);
  const rows = dialect.sqlToQuery(sql`
    select ${sql.join(
      columns.map((c, i) => sql`${c.select} as ${sql.identifier(`c${i}`)}`),
      sql`, `,
    )}
    from ${leads} where ${where}
    order by ${orderOf(state, actor.workspaceId)}`);

  const { conn, close } = await openUserSnapshot(actor.claims);
  try {
    const [counted] = await conn.unsafe<{ n: number }[]>(count.sql, count.params as never[]);
    const rowCount = counted?.n ?? 0;
    if (rowCount === 0) {
      await close("rollback");
      return { rowCount, columns: columns.map((c) => c.header), stream: null };
    }
    await withUserTx(actor.claims, (tx) =>
      recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorId: actor.userId,
        action: "leads.exported",
        targetType: "lead",
        metadata: {
          filter: leadListSearchParams({ ...state, cursor: undefined, before: false }).toString(),
          selectedIds: request.ids?.length ?? null,
          columns: state.columns,
          rowCount,
        },
      }),
    );

    async function* records() {
      try {
        for await (const batch of conn.unsafe(rows.sql, rows.params as never[]).cursor(BATCH_ROWS)) {
          for (const row of batch) yield columns.map((_, i) => (row as Record<string, unknown>)[`c${i}`] ?? null);
        }
        await close("commit");
      } finally {
        await close("rollback");
      }
    }
    // pipeline, not pipe: a download that stops destroys the source too, which ends the query.
    const csv = pipeline(Readable.from(records()), formulaSafeCsv({ header: true, columns: columns.map((c) => c.header) }), () => {});
    return { rowCount, columns: columns.map((c) => c.header), stream: Readable.toWeb(csv) as ReadableStream<Uint8Array> };
  } catch (error) {
    await close("rollback").catch(() => {});
    throw error;
  }
}

/** The view's order, ties by id as on screen; owner by the owner's name as membersByName orders it, unassigned first. */
function orderOf(state: LeadListState, workspaceId: string): SQL {
  const dir = state.dir === "asc" ? sql`asc` : sql`desc`;
  const key =
    state.sort === "owner"
      ? sql`${textSortKey(ownerNameOf(workspaceId))} ${dir} nulls ${state.dir === "asc" ? sql`first` : sql`last`}`
      : sql`${COLUMN_SORTS[state.sort].key} ${dir}`;
  return sql`${key}, ${leads.id} ${dir}`;
}
