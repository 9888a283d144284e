import { sql, type SQL } from "drizzle-orm";
import { leads } from "@/db/schema";
import { ownerNameOf } from "@/lib/leads/list-leads";
import { LEAD_COLUMN_LABELS, type LeadColumn } from "@/lib/leads/list-state";

/** A row of the export as the query returns it: one text (or number) per output column. */
export type ExportRow = Record<string, string | number | null>;

type ExportColumn = { header: string; select: SQL };

/**
 * The CSV columns of the table's visible columns, in their order. Email brings its status
 * alongside (the table shows both in one cell); dates are written in the viewer's time zone,
 * named in the header, as the table shows them.
 */
export function exportColumns(columns: readonly LeadColumn[], timeZone: string, workspaceId: string): ExportColumn[] {
  const inZone = (column: typeof leads.createdAt | typeof leads.lastActivityAt) =>
    sql`to_char(${column} at time zone ${timeZone}, 'YYYY-MM-DD HH24:MI')`;
  const out: ExportColumn[] = [];
  for (const column of columns) {
    const header = LEAD_COLUMN_LABELS[column];
    switch (column) {
      case "name":
        out.push({ header, select: sql`nullif(btrim(coalesce(${leads.firstName}, '') || ' ' || coalesce(${leads.lastName}, '')), '')` });
        break;
      case "title":
        out.push({ header, select: sql`${leads.title}` });
        break;
      case "company":
        out.push({ header, select: sql`${leads.companyName}` });
        break;
      case "email":
        out.push({ header, select: sql`${leads.email}` }, { header: "Email status", select: sql`${leads.emailStatus}::text` });
        break;
      case "status":
        out.push({ header, select: sql`${leads.status}::text` });
        break;
      case "owner":
        // As the table names owners: the name, else the email (a member who never gave a name).
        out.push({ header, select: ownerNameOf(workspaceId) });
        break;
      case "score":
        out.push({ header, select: sql`${leads.score}::int` });
        break;
      case "fitScore":
        out.push({ header, select: sql`nullif(${leads.sortFitScore}, -1)::int` });
        break;
      case "icebreaker":
        out.push({ header, select: sql`${leads.enrichment} ->> 'icebreaker'` });
        break;
      case "source":
        out.push({ header, select: sql`${leads.source}::text` });
        break;
      case "tags":
        out.push({ header, select: sql`array_to_string(${leads.tags}, '; ')` });
        break;
      case "lastActivity":
        out.push({ header: `${header} (${timeZone})`, select: inZone(leads.lastActivityAt) });
        break;
      case "created":
        out.push({ header: `${header} (${timeZone})`, select: inZone(leads.createdAt) });
        break;
    }
  }
  return out;
}
