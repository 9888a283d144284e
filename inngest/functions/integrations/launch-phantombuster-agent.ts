import { NonRetriableError } from "inngest";
import { serviceDb } from "@/db";
import { inngest, phantomBusterLaunchRequested, type EventContext } from "@/inngest/client";
import { AppError } from "@/lib/errors";
import { sendImportEvent } from "@/lib/imports/control-import";
import { storeAgentResult } from "@/lib/imports/phantombuster/import-agent-result";
import { importerOf, startAgentImportForJob } from "@/lib/imports/phantombuster/launch-and-import";
import { recordRunInHistory } from "@/lib/imports/phantombuster/record-run-in-history";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { fetchAgentOutput, fetchContainer, launchAgent, runOutcome } from "@/lib/integrations/phantombuster/agents";
import { IntegrationNotConnected } from "@/lib/integrations/accounts/integration-key";
import { phantomBusterClientForJob } from "@/lib/integrations/phantombuster/client-for-job";

/** Waits between polls of the run: quick at first (short runs), then every 5 minutes. */
export const POLL_WAITS = ["15s", "30s", "1m", "2m", ...Array<string>(36).fill("5m")];

/** What retrying cannot change fails the run at once, in words; PhantomBuster down or limiting us is retried. */
function failFast(error: unknown): never {
  if (error instanceof IntegrationNotConnected) throw new NonRetriableError(error.message, { cause: error });
  if (error instanceof VendorError && !error.retryable) throw new NonRetriableError(error.message, { cause: error });
  if (error instanceof AppError && error.code !== "unavailable" && error.code !== "rate_limited") {
    throw new NonRetriableError(error.message, { cause: error });
  }
  throw error;
}

/**
 * Launches a PhantomBuster agent, polls its container with durable sleeps (no process waits
 * for it), and when the run has finished well imports its result through the CSV import
 * pipeline (lib/imports/phantombuster), starting the same import job. A failed run fails this
 * one with PhantomBuster's reason, shown on the Jobs page. The key is opened inside each step.
 */
export async function launchPhantomBusterAgent({ event, step }: EventContext<"integrations/phantombuster-launch.requested">) {
  const request = event.data;
  const client = () => phantomBusterClientForJob(serviceDb(), request);

  // Made once: after a 5xx or a timeout PhantomBuster may have launched it, and a retry would
  // launch it twice (the client does not repeat a POST either).
  const containerId = await step.run("launch", async () => {
    try {
      const c = await client();
      const launched = await launchAgent(c, request.agentId);
      return launched.containerId ?? (await fetchAgentOutput(c, request.agentId)).containerId;
    } catch (error) {
      if (error instanceof VendorError && error.kind === "rate_limited") throw error;
      if (error instanceof VendorError) throw new NonRetriableError(`The agent could not be launched: ${error.message}`, { cause: error });
      return failFast(error);
    }
  });
  if (!containerId)
    throw new NonRetriableError("PhantomBuster launched the agent but named no run to follow; import its result once it has finished.");

  let finished = false;
  for (let poll = 0; poll < POLL_WAITS.length && !finished; poll++) {
    await step.sleep(`wait-${poll}`, POLL_WAITS[poll]!);
    const outcome = await step.run(`poll-${poll}`, async () => {
      try {
        return runOutcome(await fetchContainer(await client(), containerId));
      } catch (error) {
        return failFast(error);
      }
    });
    if (outcome.state === "failed") throw new NonRetriableError(outcome.reason);
    finished = outcome.state === "succeeded";
  }
  if (!finished) throw new NonRetriableError("The agent's run had not finished after 3 hours; import its result once it has finished.");

  const actor = await step.run("find-importer", () => importerOf(serviceDb(), request));
  if (!actor) throw new NonRetriableError("The person who launched the agent may no longer import leads here; nothing was imported.");
  const stored = await step.run("store-result", async () => {
    try {
      // This launch's run, not the agent's latest: someone may have launched it again meanwhile.
      return await storeAgentResult(await client(), actor, request, { containerId });
    } catch (error) {
      return failFast(error);
    }
  });
  const started = await step.run("start-import", () => startAgentImportForJob(actor, stored.importId));
  if (started.status === "queued") {
    await step.run("send-import-event", () =>
      sendImportEvent({ workspaceId: request.workspaceId, importId: started.importId, requestedBy: actor.userId }, "start"),
    );
  }
  return started;
}

/**
 * Failed for good (the agent's run failed, never finished, or its result could not be
 * imported): the run shows in the Imports history as a failed import with the reason, beside
 * the failed run on the Jobs page.
 */
export async function recordFailedLaunch({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const request = event.data.event.data as EventContext<"integrations/phantombuster-launch.requested">["event"]["data"];
  await recordRunInHistory(serviceDb(), {
    workspaceId: request.workspaceId,
    createdBy: request.requestedBy,
    agentName: `agent ${request.agentId}`,
    outcome: "failed",
    message: error.message,
  });
}

export const launchPhantomBusterAgentFunction = inngest.createFunction(
  {
    id: "launch-phantombuster-agent",
    name: "Launch a PhantomBuster agent and import its result",
    triggers: [phantomBusterLaunchRequested],
    // Per integration account: PhantomBuster documents no request limits, but an organisation's
    // plan runs few agents at once, and each run here polls for hours. At most 3 runs followed at
    // once and 10 launches a minute per account, whatever the number of people clicking.
    concurrency: { limit: 3, key: "event.data.accountId" },
    throttle: { limit: 10, period: "1m", key: "event.data.accountId" },
    retries: 3,
    onFailure: recordFailedLaunch,
  },
  launchPhantomBusterAgent,
);
