import "server-only";
import { z } from "zod";
import type { Database } from "@/db";
import { can } from "@/lib/auth/permissions";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { RetryPolicy } from "@/lib/integrations/http/fetch-with-retries";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { fetchAgent, fetchAgentOutput, fetchContainer, runOutcome, ZPhantomId } from "@/lib/integrations/phantombuster/agents";
import type { PhantomBusterClient } from "@/lib/integrations/phantombuster/client";
import { phantomBusterClientForWorkspace } from "@/lib/integrations/phantombuster/client-for-account";
import { recordPhantomBusterOutcome } from "@/lib/integrations/phantombuster/record-outcome";
import { openResultFile } from "@/lib/integrations/phantombuster/result-file";
import type { PhantomAgent, PhantomContainer } from "@/lib/integrations/phantombuster/schemas";
import { importUploadsPerUser } from "@/lib/rate-limit/policies";
import { RateLimitedError, tryAgainMessage } from "@/lib/rate-limit/rate-limited";
import { consumeRequest } from "@/lib/rate-limit/request-limit";
import { sendImportEvent, startLeadImport, type ImportActor } from "../control-import";
import { getLeadImport } from "../get-lead-import";
import { rememberTaken } from "./recurring/imported-rows";
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from "../types";
import { UploadRefused } from "../upload-refused";
import { NoRowsKept, storeUpload, UploadCutOff, type UploadedFile } from "../upload/store-upload";
import { rowFingerprinter, type RowFingerprint } from "./recurring/row-fingerprint";

type RowFilter = NonNullable<UploadedFile["rowFilter"]>;
import { choosePhantomBusterPreset } from "./choose-preset";
import { jsonResultAsCsv } from "./json-result-to-csv";
import { JsonRowsRefused } from "./json-rows";

/**
 * "Import latest result" of a PhantomBuster agent: its result file goes through the CSV import
 * pipeline like an upload (stored from the download stream by storeUpload, the PhantomBuster
 * preset chosen, then the same job, dedupe rules, counts and history). Three stages: the key is
 * opened in the person's RLS transaction, the file is stored on the service connection as the
 * upload route stores one (its own transaction, committed or rolled back whole), and the import
 * is started in the person's RLS transaction; the caller sends its job's event
 * (sendAgentImportEvent) once that has committed. The server action runs the first and last
 * stage in one transaction, which waits idle (holding no lock) while the file streams: hence
 * the cap on downloads at once.
 */

export const ZImportAgentResult = z.object({ agentId: ZPhantomId });

export type AgentImportStarted = {
  importId: string;
  /** `mapping` when no PhantomBuster preset could map the file: the person maps it. */
  status: "queued" | "mapping";
  fileName: string;
  presetLabel: string;
  notice: string | null;
};

/** Runs a piece of work in the person's RLS transaction (withUserTx with their claims). */
export type RunAsUser = <T>(work: (tx: Database) => Promise<T>) => Promise<T>;

export type AgentImportOptions = {
  limits?: { maxBytes: number; maxRows: number };
  clientOptions?: { policy?: RetryPolicy };
  /** After the file's name in the import's name (a recurring import's "new rows"). */
  fileNameNote?: string;
  /**
   * The run to import (the one a "launch and import" started): its result and never a later
   * run's, even when the agent was launched again meanwhile. Without it, the agent's latest run.
   */
  containerId?: string;
};

/** Result files downloaded into imports at once by this process: each holds a database connection while it streams. */
const MAX_CONCURRENT_DOWNLOADS = 2;
let downloadsInProgress = 0;

export async function importLatestAgentResult(
  runAsUser: RunAsUser,
  actor: ImportActor,
  { agentId }: z.infer<typeof ZImportAgentResult>,
  options: AgentImportOptions = {},
): Promise<AgentImportStarted> {
  if (!can(actor.role, "imports.run")) throw forbidden("Your role can read leads but not import them.");
  const { client, accountId } = await runAsUser((tx) => phantomBusterClientForWorkspace(tx, actor, options.clientOptions));
  const stored = await storeAgentResult(client, actor, { accountId, agentId }, options);
  return runAsUser((tx) => startAgentImport(tx, actor, stored.importId));
}

/** After the import was queued and that committed: sends the job's event (control-import.ts). */
export async function sendAgentImportEvent(actor: ImportActor, started: AgentImportStarted): Promise<void> {
  if (started.status !== "queued") return;
  await sendImportEvent({ workspaceId: actor.workspaceId, importId: started.importId, requestedBy: actor.userId }, "start");
}

/** Checks the agent's latest run, then stores its result file as a new import (status `mapping`). */
export async function storeAgentResult(
  client: PhantomBusterClient,
  actor: ImportActor,
  { accountId, agentId }: { accountId: string; agentId: string },
  options: AgentImportOptions = {},
): Promise<{ importId: string }> {
  const perUser = importUploadsPerUser();
  try {
    await consumeRequest(perUser, actor.userId);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    throw new AppError(
      "rate_limited",
      tryAgainMessage(error.retryAfterSeconds, `You have imported ${perUser.points} files within the last hour, the most allowed`),
    );
  }
  if (downloadsInProgress >= MAX_CONCURRENT_DOWNLOADS) {
    throw new AppError("unavailable", "Other PhantomBuster results are being imported on this server right now. Try again in a minute.");
  }
  downloadsInProgress++;
  const account = { workspaceId: actor.workspaceId, accountId };
  try {
    const stored = await downloadAndStore(client, actor, agentId, options);
    await recordPhantomBusterOutcome(account);
    return stored;
  } catch (error) {
    // What PhantomBuster said about the key or itself shows on Settings → Integrations too.
    await recordPhantomBusterOutcome(account, error).catch((recording: unknown) =>
      console.error("[phantombuster] outcome not recorded", recording),
    );
    throw refusalOf(error);
  } finally {
    downloadsInProgress--;
  }
}

/**
 * Checks the agent's latest run and stores its result file as a new import (status `mapping`).
 * `rowFilterFor` (a recurring import) stores only the rows its filter keeps, knowing the run.
 */
export async function downloadAndStore(
  client: PhantomBusterClient,
  actor: ImportActor,
  agentId: string,
  options: AgentImportOptions,
  rowFilterFor?: (agent: PhantomAgent, run: PhantomContainer | null) => RowFilter,
): Promise<{ importId: string }> {
  const agent = await fetchAgent(client, agentId);
  const { run, latest } = await usableRun(client, agent, options.containerId);
  // The result files (the agent's folder, and the URLs a run's result object names, which point
  // there) hold the latest run's rows: after a later launch they are no longer this run's.
  if (!latest) {
    throw new AppError(
      "conflict",
      `${agentName(agent)} was launched again after the run this import followed, and its result file now holds the later run's rows, so nothing was imported. Import the agent's result once its latest run has finished.`,
    );
  }
  const rowFilter = rowFilterFor ? rowFilterFor(agent, run) : rememberEveryRow(actor.workspaceId, agentId);
  const file = await openResultFile(client, agent, run);
  if (!file) {
    throw new AppError(
      "not_found",
      `${agentName(agent)} has no result file in PhantomBuster's storage yet (neither result.csv nor result.json), so there is nothing to import. Check its latest run in PhantomBuster.`,
    );
  }
  const limits = options.limits ?? { maxBytes: IMPORT_MAX_BYTES, maxRows: IMPORT_MAX_ROWS };
  const note = options.fileNameNote ? ` (${options.fileNameNote})` : "";
  const fileName = `PhantomBuster – ${agent.name?.trim() || `agent ${agent.id}`} – ${file.fileName}${note}`.slice(0, 255);
  const body = file.response.body as unknown as AsyncIterable<Uint8Array>;
  if (file.format === "csv") {
    const length = file.response.headers.get("content-length");
    return await storeResult({
      actor,
      fileName,
      body,
      announcedBytes: length === null ? null : Number(length),
      limits,
      what: file.fileName,
      rowFilter,
      sandbox: client.sandbox,
    });
  }
  const converted = await jsonResultAsCsv(body, limits).catch((error: unknown) => {
    if (error instanceof JsonRowsRefused)
      throw new AppError("invalid_input", `PhantomBuster's ${file.fileName} could not be read: ${error.message}`);
    throw error;
  });
  try {
    return await storeResult({
      actor,
      fileName,
      body: converted.csv,
      announcedBytes: null,
      limits,
      what: file.fileName,
      rowFilter,
      sandbox: client.sandbox,
    });
  } finally {
    await converted.dispose();
  }
}

/**
 * An import of the whole result (not a recurring one's new rows) keeps every row, and remembers
 * each as imported from this agent, in the upload's transaction: a recurring import scheduled
 * later takes none of them again while this import may still write them (recurring/imported-rows.ts).
 */
function rememberEveryRow(workspaceId: string, agentId: string): RowFilter & { remembersAll: true } {
  const prints: string[] = [];
  let fingerprint: RowFingerprint | null = null;
  return {
    remembersAll: true,
    keep(header, fields) {
      fingerprint ??= rowFingerprinter(header);
      prints.push(fingerprint(fields));
      return true;
    },
    async stored(tx, importId) {
      await rememberTaken(tx, { workspaceId, agentId, importId }, prints);
    },
  };
}

async function storeResult(input: {
  actor: ImportActor;
  fileName: string;
  body: AsyncIterable<Uint8Array>;
  announcedBytes: number | null;
  limits: { maxBytes: number; maxRows: number };
  what: string;
  rowFilter?: RowFilter;
  sandbox: boolean;
}): Promise<{ importId: string }> {
  try {
    const { importId } = await storeUpload({
      workspaceId: input.actor.workspaceId,
      userId: input.actor.userId,
      fileName: input.fileName,
      body: input.body,
      announcedBytes: input.announcedBytes,
      limits: input.limits,
      source: "phantombuster",
      sandbox: input.sandbox,
      rowFilter: input.rowFilter,
    });
    return { importId };
  } catch (error) {
    if (error instanceof UploadRefused) throw new AppError("invalid_input", `PhantomBuster's ${input.what}: ${error.message}`);
    // Keeping every row, none kept means the file had none.
    if (error instanceof NoRowsKept && input.rowFilter && "remembersAll" in input.rowFilter) {
      throw new AppError("invalid_input", `PhantomBuster's ${input.what}: The file has a header line but no rows of leads under it.`);
    }
    if (error instanceof UploadCutOff) {
      throw new AppError(
        "unavailable",
        `PhantomBuster's ${input.what} was cut off while it downloaded, so nothing was imported. Try again.`,
      );
    }
    if (error instanceof JsonRowsRefused)
      throw new AppError("invalid_input", `PhantomBuster's ${input.what} could not be read: ${error.message}`);
    throw error;
  }
}

const agentName = (agent: PhantomAgent) => (agent.name?.trim() ? `The agent “${agent.name.trim()}”` : `Agent ${agent.id}`);

/**
 * The run whose result to import, with its result object (which may name the files), checked to
 * have finished well: the one asked for, or the agent's latest; `latest` says whether it is the
 * latest (whose file the agent's folder holds).
 */
async function usableRun(
  client: PhantomBusterClient,
  agent: PhantomAgent,
  containerId: string | undefined,
): Promise<{ run: PhantomContainer | null; latest: boolean }> {
  if (!containerId) return { run: await assertLatestRunUsable(client, agent), latest: true };
  const run = await fetchContainer(client, containerId, { withResultObject: true });
  assertFinishedWell(agentName(agent), run, "run");
  const latest = await fetchAgentOutput(client, agent.id);
  return { run, latest: latest.containerId == null || String(latest.containerId) === String(containerId) };
}

function assertFinishedWell(name: string, run: PhantomContainer, which: "latest run" | "run"): void {
  const outcome = runOutcome(run);
  if (outcome.state === "running") throw new AppError("conflict", `${name} is running now. Import its result once the run has finished.`);
  if (outcome.state === "failed") {
    throw new AppError(
      "conflict",
      `${name}'s ${which} failed, so its result was not imported. ${outcome.reason.replace(/^The agent's run failed: /, "Why: ")}`,
    );
  }
}

/**
 * A result is imported only after a run that finished well: never a half-written or failed one.
 * The agent's latest run, when PhantomBuster names one.
 */
async function assertLatestRunUsable(client: PhantomBusterClient, agent: PhantomAgent): Promise<PhantomContainer | null> {
  const latest = await fetchAgentOutput(client, agent.id);
  const name = agentName(agent);
  switch (latest.status) {
    case "never launched":
      throw new AppError("not_found", `${name} has never run, so it has no result to import. Launch it in PhantomBuster first.`);
    case "starting":
    case "running":
      throw new AppError("conflict", `${name} is running now. Import its result once the run has finished.`);
    case "launch error":
      throw new AppError(
        "conflict",
        `${name}'s latest run could not start (PhantomBuster reports a launch error), so its result was not imported.`,
      );
  }
  if (!latest.containerId) return null;
  const run = await fetchContainer(client, latest.containerId, { withResultObject: true });
  assertFinishedWell(name, run, "latest run");
  return run;
}

/** PhantomBuster's refusals in words for the person importing. */
export function refusalOf(error: unknown): unknown {
  if (!(error instanceof VendorError)) return error;
  if (error.kind === "unauthorized" || error.kind === "forbidden") {
    return new AppError(
      "forbidden",
      `${error.message.replace(/ Copy the key.*$/, "")} An admin can enter a working key in Settings → Integrations.`,
    );
  }
  if (error.kind === "rejected" && error.details.status === 404) return new AppError("not_found", error.message);
  if (error.kind === "rate_limited") return new AppError("rate_limited", error.message);
  if (error.kind === "unavailable") return new AppError("unavailable", error.message);
  return new AppError("invalid_input", error.message);
}

/** Picks the PhantomBuster preset and queues the import; leaves it waiting for a mapping when none fits. */
export async function startAgentImport(tx: Database, actor: ImportActor, importId: string): Promise<AgentImportStarted> {
  const imp = await getLeadImport(tx, { workspaceId: actor.workspaceId, importId });
  if (!imp) throw notFound("That import");
  const chosen = choosePhantomBusterPreset(imp.headers);
  const base = { importId, fileName: imp.fileName, presetLabel: chosen.preset.label };
  if ("problem" in chosen) {
    return {
      ...base,
      status: "mapping",
      notice: `The file's columns do not look like a PhantomBuster LinkedIn export (${chosen.problem}) Choose what each column fills.`,
    };
  }
  await startLeadImport(tx, actor, {
    importId,
    preset: chosen.preset.id,
    mapping: chosen.mapping,
    // The mapping page's defaults: an existing lead is left as it is; new leads are the importer's.
    rules: { onMatch: "skip", owner: { kind: "member", userId: actor.userId }, tags: [] },
  });
  return { ...base, status: "queued", notice: null };
}
