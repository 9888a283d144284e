import type { InngestFunction } from "inngest";
import { inngest } from "@/inngest/client";
import { systemFunctionId } from "@/lib/jobs/app-id";
import { enrichLeadInsightsFunction } from "../ai/enrich-lead-insights";
import { launchCampaignFunction } from "../campaigns/launch-campaign";
import { resumeCampaignFunction } from "../campaigns/resume-campaign";
import { enrichLeadsFromApolloFunction } from "../integrations/enrich-leads-from-apollo";
import { importFromApolloFunction } from "../integrations/import-from-apollo";
import { launchPhantomBusterAgentFunction } from "../integrations/launch-phantombuster-agent";
import { mirrorToInstantlyFunction, pushToInstantlyFunction } from "../integrations/push-to-instantly";
import { runLeadBulkOperationFunction } from "../leads/run-lead-bulk-operation";
import { runLeadImportFunction } from "../leads/run-lead-import";

type FailureHandler = (ctx: { event: { data: { event: { data: unknown } } }; error: Error }) => Promise<unknown>;

/**
 * The functions whose runs own a business record (an import, an AI run, a campaign's launch…):
 * their failure handler puts that record in a final state when a run fails for good. A cancelled
 * run never fails, so without this its record would say "running" for ever.
 */
const FOLLOWED = [
  enrichLeadInsightsFunction,
  runLeadImportFunction,
  runLeadBulkOperationFunction,
  enrichLeadsFromApolloFunction,
  importFromApolloFunction,
  pushToInstantlyFunction,
  mirrorToInstantlyFunction,
  launchPhantomBusterAgentFunction,
  launchCampaignFunction,
  resumeCampaignFunction,
];

const optsOf = (fn: InngestFunction.Any) => fn.opts as { id: string; onFailure: FailureHandler };
const HANDLERS = new Map(FOLLOWED.map((fn) => [systemFunctionId(optsOf(fn).id), optsOf(fn).onFailure]));

/** What the record says of the cancellation, in the words of its failure handler's message. */
export const CANCELLED_RUN = "the job was cancelled (on the Jobs page, or in Inngest) before it finished.";

/**
 * A run of a followed function was cancelled, from the Jobs page (the local executor sends
 * inngest/function.cancelled as Inngest does) or in Inngest's dashboard or API: its failure
 * handler runs with the original event and the cancellation as the error, so the import, the AI
 * run or the campaign shows that it stopped and why.
 */
export async function recordCancelledRun({ event }: { event: { data: Record<string, unknown> } }) {
  const functionId = String(event.data.function_id);
  const handler = HANDLERS.get(functionId);
  if (!handler) return { recorded: false, functionId };
  const original = event.data.event as { data: unknown };
  await handler({ event: { data: { event: { data: original.data } } }, error: new Error(CANCELLED_RUN) });
  return { recorded: true, functionId };
}

export const recordCancelledRunFunction = inngest.createFunction(
  {
    id: "record-cancelled-run",
    name: "Record a cancelled job on its import, AI run or campaign",
    // One trigger per followed function (Inngest's documented pattern for cleaning up after a cancellation).
    triggers: [...HANDLERS.keys()].map((id) => ({ event: "inngest/function.cancelled" as const, if: `event.data.function_id == '${id}'` })),
    retries: 3,
  },
  recordCancelledRun,
);
