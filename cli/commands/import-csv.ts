import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { withUserTx } from "@/db";
import { can } from "@/lib/auth/permissions";
import { env } from "@/lib/env";
import { sendImportEvent, startLeadImport, ZStartImport } from "@/lib/imports/control-import";
import { getLeadImport, getLeadImportProgress, listImportIssueGroups } from "@/lib/imports/get-lead-import";
import { detectPreset } from "@/lib/imports/presets/detect";
import { MATCH_RULES, ZImportRules } from "@/lib/imports/types";
import { storeUpload, UploadCutOff } from "@/lib/imports/upload/store-upload";
import { actingMember, CliError, findWorkspace, operatorPath, type CliIo } from "../context";
import { count, follow, percent, type JobRunner } from "../follow";
import { terminalSafe } from "@/lib/text/showable";

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
 * The rules and the mapping are checked as the app's Start import checks them (ZStartImport).
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
  const rules = ZImportRules.safeParse({
    onMatch: options.onMatch,
    owner:
      options.unowned || actor.role === "analyst" || actor.role === "viewer" ? { kind: "none" } : { kind: "member", userId: actor.userId },
    tags: options.tag,
  });
  if (!rules.success) throw new CliError(rules.error.issues.map((i) => `--tag${tagOf(options.tag, i.path)}: ${i.message}`).join("\n"));
  const source = operatorPath(io, file);
  const size = await stat(source).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );
  if (size === null) throw new CliError(`${source} is not a file this process can read.`);

  // A file the pipeline refuses (not a CSV, too big) throws an UploadRefused saying why.
  // Its size is checked against what was read: a file still being written, or one whose size the
  // system does not know ahead (under /proc), is said in words, and nothing of it is kept.
  const { importId } = await storeUpload({
    workspaceId: workspace.id,
    userId: actor.userId,
    fileName: path.basename(source),
    body: createReadStream(source),
    announcedBytes: size,
  }).catch((error: unknown) => {
    if (!(error instanceof UploadCutOff)) throw error;
    throw new CliError(
      `${source} changed size while it was read (is it still being written?). Nothing was imported: try again once it is complete.`,
    );
  });
  const scope = { workspaceId: workspace.id, importId };
  const detail = await withUserTx(actor.claims, (tx) => getLeadImport(tx, scope));
  const detected = detectPreset(detail!.headers);
  const start = ZStartImport.safeParse({ importId, preset: detected.id, mapping: { columns: detected.columns }, rules: rules.data });
  if (!start.success) {
    throw new CliError(
      `${start.error.issues.map((i) => i.message).join("\n")}\nThe file is kept as import ${importId}, waiting for its mapping: ` +
        `choose its columns at ${env().APP_URL}/imports/${importId}, or fix the file and run the command again.`,
    );
  }
  await withUserTx(actor.claims, (tx) => startLeadImport(tx, actor, start.data));
  await sendImportEvent({ workspaceId: workspace.id, importId, requestedBy: actor.userId }, "start");
  io.err(`Import ${importId} of ${path.basename(source)} started (${detected.id} columns, ${count(detail!.totalRows)} rows).\n`);
  if (!options.wait) {
    io.out(`${importId}\n`);
    return "other";
  }

  const progress = await follow(io, jobs, ["run-lead-import"], async () => {
    const p = (await withUserTx(actor.claims, (tx) => getLeadImportProgress(tx, scope)))!;
    const figures = `${count(p.inserted)} new, ${count(p.updated)} updated, ${count(p.skipped)} skipped, ${count(p.failed)} failed`;
    return {
      // Paused in the app: it waits for someone's Resume, which could be hours; the command ends.
      done: ["completed", "failed", "cancelled", "paused"].includes(p.status),
      line: `${p.status}: ${count(p.processedRows)} of ${count(p.totalRows)} rows (${percent(p.processedRows, p.totalRows)}) — ${figures}`,
      value: p,
    };
  });
  io.out(
    `Import ${importId} ${progress.status}: ${count(progress.inserted)} new, ${count(progress.updated)} updated, ${count(progress.skipped)} skipped, ${count(progress.failed)} failed of ${count(progress.totalRows)} rows.\n`,
  );
  if (progress.error) io.out(`Error: ${terminalSafe(progress.error)}\n`);
  if (progress.status === "paused") io.out(`It continues when someone presses Resume at ${env().APP_URL}/imports/${importId}.\n`);
  const issues = await withUserTx(actor.claims, (tx) => listImportIssueGroups(tx, scope));
  for (const group of issues) io.out(`  ${group.outcome} ${count(group.rows)}: ${group.words}\n`);
  return progress.status === "completed" ? "completed" : "other";
}

/** The --tag an issue of the rules is about (` "a,b"`), or nothing when it is about them all. */
function tagOf(tags: string[], issuePath: PropertyKey[]): string {
  const index = issuePath[0] === "tags" && typeof issuePath[1] === "number" ? issuePath[1] : null;
  return index === null ? "" : ` ${JSON.stringify(tags[index])}`;
}
