import { createWriteStream } from "node:fs";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { openLeadExport } from "@/lib/leads/export/open-lead-export";
import { parseLeadListState } from "@/lib/leads/list-state";
import { actingMember, findWorkspace, type CliIo } from "../context";
import { count } from "../follow";

export type ExportOptions = { workspace: string; as?: string; filter: string; out?: string };

/**
 * `export`: the leads of a filter (the leads page's query string: its filters, sort and
 * columns) as the same formula-safe CSV the page downloads, read as the member named by --as
 * (their role must allow exports; the export is in the audit log as theirs). To a file with
 * --out, else to stdout.
 */
export async function exportLeadsCommand(io: CliIo, options: ExportOptions): Promise<void> {
  const workspace = await findWorkspace(options.workspace);
  const actor = await actingMember(workspace, options.as);
  const { state, notices } = parseLeadListState(new URLSearchParams(options.filter));
  for (const notice of notices) io.err(`${notice}\n`);
  const file = await openLeadExport(actor, { state });
  io.err(`${count(file.rowCount)} leads${options.out ? ` to ${options.out}` : ""}.\n`);
  if (!file.stream) return;
  const target = options.out
    ? createWriteStream(options.out)
    : new Writable({ write: (chunk: Buffer, _, done) => (io.out(chunk), done()) });
  await pipeline(Readable.fromWeb(file.stream as import("node:stream/web").ReadableStream<Uint8Array>), target);
}
