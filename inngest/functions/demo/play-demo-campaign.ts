import { serviceDb } from "@/db";
import { demoCampaignActivityRequested, inngest, type EventContext } from "@/inngest/client";
import { playDemoCampaignActivity, sentDemoMessages } from "@/lib/seed/demo-campaign-activity";

const CHECKS = 60;

/**
 * The demo's running campaign comes alive on a fresh `npm run dev`: the seed launches it, its
 * sequences send the first step through the outbox once the app is up, and this run waits for
 * those sends to settle (the count stops growing) before its first readers open, click, reply
 * and bounce through the Dev outbox's simulations. Sent only by the seed (development).
 */
export async function playDemoCampaign({ event, step }: EventContext<"demo/campaign-activity.requested">) {
  const { workspaceId, campaignId } = event.data;
  let previous = -1;
  for (let check = 0; check < CHECKS; check++) {
    const sent = await step.run(
      `count-sent-${check}`,
      async () => (await sentDemoMessages(serviceDb(), { workspaceId, campaignId })).length,
    );
    if (sent > 0 && sent === previous) break;
    previous = sent;
    await step.sleep(`wait-${check}`, "10s");
  }
  if (previous <= 0) return { played: null, reason: "No email of the demo campaign was sent (outside its sending window?)" };
  const played = await step.run("play-readers", () => playDemoCampaignActivity(serviceDb(), { workspaceId, campaignId }));
  return { played };
}

export const playDemoCampaignFunction = inngest.createFunction(
  {
    id: "play-demo-campaign",
    name: "Play the demo campaign's first readers",
    triggers: [demoCampaignActivityRequested],
    concurrency: { limit: 1, key: "event.data.campaignId" },
    retries: 3,
  },
  playDemoCampaign,
);
