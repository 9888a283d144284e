import { constants, createWriteStream } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { formulaSafeCsv } from "@/lib/csv/formula-safe-csv";
import { openLeadExport } from "@/lib/leads/export/open-lead-export";
import { actingMember, CliError, findWorkspace, operatorPath, strictLeadFilter, type CliIo } from "../context";
import { count } from "../follow";

export type ExportOptions = { workspace: string; as?: string; filter: string; out?: string };

/**
 * `export`: the leads of a filter (the leads page's query string: its filters, sort and
 * columns) as the same formula-safe CSV the page downloads, read as the member named by --as
 * (their role must allow exports; the export is in the audit log as theirs). To a file with
 * --out (replaced, as a shell's `>` would), else to stdout. A filter matching no lead still
 * writes the header row, so a file a cron job writes every day never keeps yesterday's leads.
 */
export async function exportLeadsCommand(io: CliIo, options: ExportOptions): Promise<void> {
  const state = strictLeadFilter(options.filter);
  const workspace = await findWorkspace(options.workspace);
  const actor = await actingMember(workspace, options.as);
  const out = options.out === undefined ? null : operatorPath(io, options.out);
  // Before the export is made (and audited): a file that cannot be written is said in words.
  if (out) await assertWritable(out);
  const file = await openLeadExport(actor, { state });
  io.err(`${count(file.rowCount)} ${file.rowCount === 1 ? "lead" : "leads"}${out ? ` to ${out}` : ""}.\n`);
  // To stdout at the reader's pace: written regardless, a slow pipe (`| gzip | upload`) held the
  // whole export in memory, and the exit cut it short.
  const toStdout = (chunk: Buffer, _: unknown, done: (error?: Error | null) => void) => {
    if (io.out(chunk) === false && io.drained) io.drained().then(() => done(), done);
    else done();
  };
  const target = out ? createWriteStream(out) : new Writable({ write: toStdout });
  const csv = file.stream
    ? Readable.fromWeb(file.stream as import("node:stream/web").ReadableStream<Uint8Array>)
    : Readable.from([]).pipe(formulaSafeCsv({ header: true, columns: file.columns }));
  await pipeline(csv, target);
}

async function assertWritable(file: string): Promise<void> {
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory()) throw new CliError(`${file} is a directory: give a file name with --out.`);
  await access(existing ? file : path.dirname(file), constants.W_OK).catch(() => {
    throw new CliError(`${existing ? file : path.dirname(file)} cannot be written here (missing, or not writable by this user).`);
  });
}
