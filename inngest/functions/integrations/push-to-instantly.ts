import { NonRetriableError } from "inngest";
import { serviceDb } from "@/db";
import {
  inngest,
  instantlyLeadRemovalRequested,
  instantlyMirrorRequested,
  instantlyPushRequested,
  type EventContext,
} from "@/inngest/client";
import { holdLaunch } from "@/lib/campaigns/lifecycle/launch-progress";
import { IntegrationNotConnected } from "@/lib/integrations/accounts/integration-key";
import { notifyFailedMirror } from "@/lib/integrations/instantly/push/mirror-failed";
import { removeEndedLeadFromInstantly } from "@/lib/integrations/instantly/push/remove-ended-lead";
import { instantlyClientForSync } from "@/lib/integrations/instantly/sync";
import {
  activatePush,
  ensureInstantlyCampaign,
  mirrorLifecycle,
  PushRefused,
  pushLeadBatch,
  notePushError,
  recordPushFailure,
  startPush,
  type PushTarget,
} from "@/lib/integrations/instantly/push/push-campaign";
import { asStepError } from "./sync-instantly";

/** Refusals and a disconnected account end the run at once (retrying cannot help); the reason is written on the push. */
async function guarded<T>(target: PushTarget, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PushRefused || error instanceof IntegrationNotConnected) {
      await recordPushFailure(serviceDb(), target, error.message);
      throw new NonRetriableError(error.message, { cause: error });
    }
    await notePushError(serviceDb(), target, error instanceof Error ? error.message : String(error));
    throw asStepError(error);
  }
}

/**
 * An approved campaign pushed to Instantly (lib/integrations/instantly/push): the campaign
 * created as a draft, its leads added in batches of at most 1,000, then activated — each a step,
 * each bracketed by what the push row records, so a retry (or a resume after the run failed for
 * good) continues where it stopped without a second campaign or a lead added twice.
 */
export async function pushToInstantly({ event, step }: EventContext<"integrations/instantly-push.requested">) {
  const target = { workspaceId: event.data.workspaceId, campaignId: event.data.campaignId };
  const account = { workspaceId: event.data.workspaceId, accountId: event.data.accountId };
  const client = () => instantlyClientForSync(serviceDb(), account);
  await step.run("start", () =>
    startPush(serviceDb(), {
      ...target,
      accountId: event.data.accountId,
      contentHash: event.data.contentHash,
      approvalId: event.data.approvalId,
    }),
  );
  const instantlyCampaignId = await step.run("create-campaign", () =>
    guarded(target, async () => ensureInstantlyCampaign(serviceDb(), await client(), target)),
  );
  let leads = 0;
  for (let batch = 0; ; batch++) {
    const outcome = await step.run(`add-leads-${batch}`, () =>
      guarded(target, async () => pushLeadBatch(serviceDb(), await client(), target)),
    );
    leads += outcome.uploaded;
    if (outcome.done) break;
  }
  const status = await step.run("activate", () => guarded(target, async () => activatePush(serviceDb(), await client(), target)));
  return { instantlyCampaignId, leads, status };
}

/** Its retries spent: the campaign pauses itself saying so (Resume asks for the push again). */
export async function holdFailedPush({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const { workspaceId, campaignId } = event.data.event.data as EventContext<"integrations/instantly-push.requested">["event"]["data"];
  await recordPushFailure(serviceDb(), { workspaceId, campaignId }, error.message);
  return holdLaunch({ workspaceId, campaignId, why: "instantly_push_failed", error: error.message });
}

export const pushToInstantlyFunction = inngest.createFunction(
  {
    id: "push-to-instantly",
    name: "Push a campaign to Instantly",
    triggers: [instantlyPushRequested],
    // One push at a time per Instantly account, and at most 60 of its steps a minute: each
    // step makes one or two requests, far below Instantly's 100 a second and 6,000 a minute.
    concurrency: { limit: 1, key: "event.data.accountId" },
    throttle: { limit: 60, period: "1m", key: "event.data.accountId" },
    retries: 4,
    onFailure: holdFailedPush,
  },
  pushToInstantly,
);

/** A pause, resume or stop of ours mirrored on the Instantly campaign. */
export async function mirrorToInstantly({ event, step }: EventContext<"integrations/instantly-mirror.requested">) {
  const target = { workspaceId: event.data.workspaceId, campaignId: event.data.campaignId };
  const account = { workspaceId: event.data.workspaceId, accountId: event.data.accountId };
  return step.run(`mirror-${event.data.action}`, async () => {
    try {
      return await mirrorLifecycle(serviceDb(), await instantlyClientForSync(serviceDb(), account), target);
    } catch (error) {
      // Shown on the campaign page until a later step of the push or a mirror succeeds.
      await notePushError(serviceDb(), target, error instanceof Error ? error.message : String(error));
      if (error instanceof IntegrationNotConnected) throw new NonRetriableError(error.message, { cause: error });
      throw asStepError(error);
    }
  });
}

/** Every retry spent: the admins are told that Instantly does not match the campaign (push/mirror-failed.ts). */
export async function notifyFailedMirrorRun({ event, error }: { event: { data: { event: { data: unknown } } }; error: Error }) {
  const { workspaceId, campaignId, action } = event.data.event
    .data as EventContext<"integrations/instantly-mirror.requested">["event"]["data"];
  return notifyFailedMirror({ workspaceId, campaignId, action }, error.message);
}

export const mirrorToInstantlyFunction = inngest.createFunction(
  {
    id: "mirror-to-instantly",
    name: "Mirror a campaign's pause, resume or stop on Instantly",
    triggers: [instantlyMirrorRequested],
    // In the order they were asked, per campaign; the account's requests stay few.
    concurrency: { limit: 1, key: "event.data.campaignId" },
    throttle: { limit: 60, period: "1m", key: "event.data.accountId" },
    retries: 6,
    onFailure: notifyFailedMirrorRun,
  },
  mirrorToInstantly,
);

/** A lead whose sequence ended here, removed from Instantly (push/remove-ended-lead.ts). */
export async function removeLeadFromInstantly({ event, step }: EventContext<"integrations/instantly-lead-removal.requested">) {
  return step.run("remove-lead", async () => {
    try {
      return await removeEndedLeadFromInstantly(serviceDb(), event.data);
    } catch (error) {
      if (error instanceof IntegrationNotConnected) throw new NonRetriableError(error.message, { cause: error });
      throw asStepError(error);
    }
  });
}

export const removeLeadFromInstantlyFunction = inngest.createFunction(
  {
    id: "remove-lead-from-instantly",
    name: "Remove from Instantly a lead whose sequence ended here",
    triggers: [instantlyLeadRemovalRequested],
    throttle: { limit: 60, period: "1m", key: "event.data.workspaceId" },
    retries: 6,
  },
  removeLeadFromInstantly,
);
