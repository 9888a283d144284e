import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import { sendImportEvent, startLeadImport } from "@/lib/imports/control-import";
import { getLeadImport, getLeadImportProgress, listImportIssueGroups } from "@/lib/imports/get-lead-import";
import { detectPreset } from "@/lib/imports/presets/detect";
import { MATCH_RULES, type ImportRules } from "@/lib/imports/types";
import { storeUpload } from "@/lib/imports/upload/store-upload";
import { actingMember, CliError, findWorkspace, type CliIo } from "../context";
import { count, follow, percent, type JobRunner } from "../follow";

export type ImportCsvOptions = {
  workspace: string;
  as?: string;
  onMatch: string;
  tag: string[];
  /** New leads' owner: the person acting (default) or nobody. */
  unowned: boolean;
  wait: boolean;
};

/**
 * `import <file>`: the same pipeline as an upload in the app — the file streamed into the
 * import's rows, the columns mapped by the detected preset (Apollo, PhantomBuster or generic
 * headers), the rules recorded, and the import job started — as the member named by --as.
 */
export async function importCsvCommand(
  io: CliIo,
  jobs: JobRunner,
  file: string,
  options: ImportCsvOptions,
): Promise<"completed" | "other"> {
  if (!(MATCH_RULES as readonly string[]).includes(options.onMatch))
    throw new CliError(`--on-match is one of ${MATCH_RULES.join(", ")}, not "${options.onMatch}".`);
  const workspace = await findWorkspace(options.workspace);
  const actor = await actingMember(workspace, options.as);
  // Checked before the file is stored: a refused import leaves nothing behind.
  if (!can(actor.role, "imports.run")) throw new CliError("Your role can read leads but not import them.");
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );
  if (size === null) throw new CliError(`${file} is not a file this process can read.`);

  // A file the pipeline refuses (not a CSV, too big) throws an UploadRefused saying why.
  const { importId } = await storeUpload({
    workspaceId: workspace.id,
    userId: actor.userId,
    fileName: path.basename(file),
    body: createReadStream(file),
    announcedBytes: size,
  });
  const scope = { workspaceId: workspace.id, importId };
  const detail = await withUserTx(actor.claims, (tx) => getLeadImport(tx, scope));
  const detected = detectPreset(detail!.headers);
  const rules: ImportRules = {
    onMatch: options.onMatch as ImportRules["onMatch"],
    owner:
      options.unowned || actor.role === "analyst" || actor.role === "viewer" ? { kind: "none" } : { kind: "member", userId: actor.userId },
    tags: options.tag,
  };
  await withUserTx(actor.claims, (tx) =>
    startLeadImport(tx, actor, { importId, preset: detected.id, mapping: { columns: detected.columns }, rules }),
  );
  await sendImportEvent({ workspaceId: workspace.id, importId, requestedBy: actor.userId }, "start");
  io.err(`Import ${importId} of ${path.basename(file)} started (${detected.id} columns, ${count(detail!.totalRows)} rows).\n`);
  if (!options.wait) {
    io.out(`${importId}\n`);
    return "other";
  }

  const progress = await follow(io, jobs, async () => {
    const p = (await withUserTx(actor.claims, (tx) => getLeadImportProgress(tx, scope)))!;
    const figures = `${count(p.inserted)} new, ${count(p.updated)} updated, ${count(p.skipped)} skipped, ${count(p.failed)} failed`;
    return {
      done: ["completed", "failed", "cancelled"].includes(p.status),
      line: `${p.status}: ${count(p.processedRows)} of ${count(p.totalRows)} rows (${percent(p.processedRows, p.totalRows)}) — ${figures}`,
      value: p,
    };
  });
  io.out(
    `Import ${importId} ${progress.status}: ${count(progress.inserted)} new, ${count(progress.updated)} updated, ${count(progress.skipped)} skipped, ${count(progress.failed)} failed of ${count(progress.totalRows)} rows.\n`,
  );
  if (progress.error) io.out(`Error: ${progress.error}\n`);
  const issues = await withUserTx(actor.claims, (tx) => listImportIssueGroups(tx, scope));
  for (const group of issues) io.out(`  ${group.outcome} ${count(group.rows)}: ${group.words}\n`);
  return progress.status === "completed" ? "completed" : "other";
}
