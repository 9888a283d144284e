import "server-only";
import { randomUUID } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { TransactionSql } from "postgres";
import { connect } from "@/db/client";
import { env } from "@/lib/env";
import { openCsv } from "../parse/read-csv";
import { FAIL_REASONS, IMPORT_MAX_BYTES, IMPORT_MAX_COLUMNS, IMPORT_MAX_ROWS } from "../types";
import { UploadRefused } from "../upload-refused";
import { CopyChunks, copyRowLine } from "./copy-text";

export type UploadedFile = {
  workspaceId: string;
  userId: string;
  fileName: string;
  /** The file's bytes as they arrive (the request body). */
  body: AsyncIterable<Uint8Array>;
  /** The Content-Length the client announced, if any: fewer bytes means the upload was cut off. */
  announcedBytes: number | null;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
  limits?: { maxBytes: number; maxRows: number };
  /** The inserted leads' source: `phantombuster` for an agent's result file. */
  source?: "csv" | "phantombuster";
  /** Served by a vendor's sandbox (an agent's result from the PhantomBuster sandbox): sample data. */
  sandbox?: boolean;
  /**
   * Only the data rows `keep` keeps are stored (a recurring import's new rows, numbered from 1),
   * and `stored` runs in the upload's transaction once they are (to remember them with it).
   */
  rowFilter?: {
    keep: (header: readonly string[], fields: readonly string[]) => boolean;
    stored: (tx: TransactionSql, importId: string) => Promise<void>;
  };
};

/** A filtered upload kept no row: nothing was stored. */
export class NoRowsKept extends Error {
  constructor() {
    super("No row of the file is new.");
    this.name = "NoRowsKept";
  }
}

export class UploadCutOff extends Error {
  constructor() {
    super("The upload was cut off before the whole file arrived.");
    this.name = "UploadCutOff";
  }
}

/** Bytes per COPY message: big enough to spare per-message overhead, small enough to keep memory flat. */
const COPY_CHUNK_BYTES = 256 * 1024;

/**
 * Stores an uploaded CSV file as a new import in status `mapping`: the lead_imports row, every
 * data row in lead_import_rows (COPY, as the file streams in, with backpressure from
 * PostgreSQL back to the socket) and an issue for each row that could not be parsed as the
 * header says (malformed_row, unclosed_quote), all in ONE transaction on the service
 * connection (COPY is not allowed under RLS: the caller has checked the session and the
 * `imports.run` permission). A refusal, an error or a client that goes away half-way rolls it
 * all back: no half-import is ever visible.
 *
 * The import's counts stay zero: the job is their only writer, and counts these issues as its
 * batches pass their rows.
 */
/**
 * A character JavaScript's trim() keeps, as a PostgreSQL pattern: map-row.ts calls a row blank
 * when every value trims to nothing, and so must this route (PostgreSQL's [:space:] leaves out
 * the no-break space and the BOM, which trim() removes).
 */
const NOT_JS_WHITESPACE = "[^[:space:]\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]";

export async function storeUpload(file: UploadedFile): Promise<{ importId: string; totalRows: number }> {
  const { maxBytes, maxRows } = file.limits ?? { maxBytes: IMPORT_MAX_BYTES, maxRows: IMPORT_MAX_ROWS };
  // Refuses images, workbooks and empty files from the first bytes, before any transaction.
  const csv = await openCsv(file.body, { maxBytes });
  const importId = randomUUID();
  let header: string[] | null = null;
  let rows = 0;
  /** Rows with a value in them: a file of blank lines under its header has no leads to import. */
  let filledRows = 0;

  const chunks = new CopyChunks(COPY_CHUNK_BYTES);
  const toCopy = new Transform({
    writableObjectMode: true,
    transform(this: Transform, fields: string[], _: BufferEncoding, done: TransformCallback) {
      if (header === null) {
        header = fields;
        if (fields.length > IMPORT_MAX_COLUMNS) {
          const words = `The file has ${fields.length} columns; an import takes at most ${IMPORT_MAX_COLUMNS}. Remove the columns you do not need and upload it again.`;
          return done(new UploadRefused(words, 422));
        }
        return done();
      }
      if (file.rowFilter && !file.rowFilter.keep(header, fields)) return done();
      rows++;
      if (fields.some((value) => value.trim() !== "")) filledRows++;
      if (rows > maxRows)
        return done(new UploadRefused(`The file has more than ${maxRows.toLocaleString("en")} rows: split it into smaller files.`, 413));
      for (const chunk of chunks.add(copyRowLine(importId, file.workspaceId, rows, fields))) this.push(chunk);
      done();
    },
    flush(done: TransformCallback) {
      done(null, chunks.take() ?? undefined);
    },
  });

  const { sql } = connect(env().DATABASE_URL);
  await sql.begin(async (tx) => {
    await tx`
      insert into public.lead_imports (id, workspace_id, created_by, file_name, file_size, encoding, delimiter, headers, total_rows, status, source, sandbox)
      values (${importId}, ${file.workspaceId}, ${file.userId}, ${file.fileName}, 0, ${csv.encoding}, ${csv.delimiter}, '{}', 0, 'mapping',
        ${file.source ?? "csv"}, ${file.sandbox ?? false})`;
    const copy = await tx`copy public.lead_import_rows (import_id, workspace_id, row_number, fields) from stdin`.writable();
    await pipeline(csv.records, toCopy, copy, { signal: file.signal });

    const received = csv.bytesRead();
    if (file.signal?.aborted || (file.announcedBytes !== null && received !== file.announcedBytes)) throw new UploadCutOff();
    const columns: string[] = header ?? [];
    if (columns.every((name) => name.trim() === ""))
      throw new UploadRefused(
        "The first line of the file is empty: it should name the columns (Email, First Name, …). Add a header line and upload again.",
        422,
      );
    if (rows === 0 && file.rowFilter) throw new NoRowsKept();
    if (filledRows === 0) throw new UploadRefused("The file has a header line but no rows of leads under it.", 422);

    // The encoding too: a file read as UTF-8 may have turned out to be windows-1252 past its start.
    await tx`
      update public.lead_imports set headers = ${columns}, total_rows = ${rows}, file_size = ${received}, encoding = ${csv.encoding}
      where id = ${importId}`;
    if (csv.endedInsideQuotes()) {
      await tx`
        insert into public.lead_import_issues (import_id, workspace_id, row_number, outcome, reason, detail)
        values (${importId}, ${file.workspaceId}, ${rows}, 'failed', 'unclosed_quote',
          ${`${FAIL_REASONS.unclosed_quote}: the file ends inside a value that opens with a quote ("), so the rest of the file was read as this row. Close the quote and upload the row again.`})`;
    }
    // Rows of blank values only (an empty line, a line of delimiters) are rows the job skips as
    // empty, whatever their count, as the mapping's preview says (map-row.ts), not malformed ones.
    await tx`
      insert into public.lead_import_issues (import_id, workspace_id, row_number, outcome, reason, detail)
      select import_id, workspace_id, row_number, 'failed', 'malformed_row',
        format('%s: it has %s values, the header has %s columns.', ${FAIL_REASONS.malformed_row}::text, cardinality(fields), ${columns.length}::int)
      from public.lead_import_rows
      where import_id = ${importId} and cardinality(fields) <> ${columns.length}
        and exists (select 1 from unnest(fields) as value where value ~ ${NOT_JS_WHITESPACE})
      on conflict do nothing`;
    await file.rowFilter?.stored(tx, importId);
  });
  return { importId, totalRows: rows };
}
