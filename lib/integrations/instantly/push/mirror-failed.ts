import "server-only";
import { and, eq } from "drizzle-orm";
import { withServiceTx } from "@/db";
import { campaigns } from "@/db/schema";
import { notify } from "@/lib/notifications/notify";

export type MirrorAction = "pause" | "resume" | "stop";

/** What a failed mirror leaves Instantly doing, in words for the admins. */
const CONSEQUENCE: Record<MirrorAction, string> = {
  pause: "It is paused here, but Instantly may still be sending its emails.",
  stop: "It is stopped here, but Instantly may still be sending its emails.",
  resume: "It is running here, but Instantly is not sending its emails.",
};

/**
 * A pause, resume or stop of a campaign sent through Instantly could not be made there after
 * every retry, or its run was cancelled: our campaign already shows the new state, so the
 * admins are told at once, with the reason, rather than finding it in the campaign's Instantly
 * panel. A replay of the failed run from the Jobs page, or the campaign's next pause, resume or
 * stop, tries again (a mirror always makes Instantly match the campaign's state then).
 */
export async function notifyFailedMirror(
  { workspaceId, campaignId, action }: { workspaceId: string; campaignId: string; action: MirrorAction },
  error: string,
): Promise<{ notified: number }> {
  return withServiceTx(async (tx) => {
    const [campaign] = await tx
      .select({ name: campaigns.name })
      .from(campaigns)
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.workspaceId, workspaceId)));
    if (!campaign) return { notified: 0 };
    const { notificationIds } = await notify(tx, {
      workspaceId,
      actorId: null,
      to: { roles: ["admin"] },
      kind: "instantly_mirror_failed",
      title: `Instantly did not ${action} “${campaign.name}”`,
      body: `${CONSEQUENCE[action]} Why: ${error.slice(0, 300)} Check the campaign in Instantly, then replay the failed run on the Jobs page: it makes Instantly match the campaign as it is then.`,
      link: `/campaigns/${campaignId}`,
      subjectId: campaignId,
    });
    return { notified: notificationIds.length };
  });
}
