import "server-only";
import type { Executor } from "@/db";
import { sampleEligibleLeadIds } from "@/lib/campaigns/audience/resolve-audience";
import type { CampaignContent } from "@/lib/campaigns/content-hash";
import { loadTemplateLeads } from "@/lib/campaigns/templates/load-template-leads";
import { formatAddress, renderCampaignEmail, type RenderCampaignEmailResult } from "@/lib/campaigns/templates/render-campaign-email";
import type { StoredAudience } from "@/lib/campaigns/types";
import { TEST_UNSUBSCRIBE_TOKEN, unsubscribeUrl } from "@/lib/campaigns/unsubscribe-token";

/** How many leads of the audience the review renders every email for. */
export const REVIEW_SAMPLE_SIZE = 3;

export type ReviewSampleEmail = {
  stepId: string;
  position: number;
  variantLabel: string;
  weight: number;
  /** Each email of a sample lead is shown from one identity, in rotation over the leads, as sending will. */
  from: string;
  result: RenderCampaignEmailResult;
};

export type ReviewSample = { lead: { id: string; name: string; email: string | null }; emails: ReviewSampleEmail[] };

/**
 * Every step and variant of a campaign rendered, exactly as sending will render it, for a few
 * eligible leads of its audience picked at random (resolved as the author sees it): what the
 * admin approves is read on real people, including what would block one of them. The content
 * rendered is the `content` the review shows, so the samples and the hash agree.
 */
export async function renderReviewSamples(
  tx: Executor,
  input: {
    workspaceId: string;
    campaignId: string;
    /** "Me" in the audience's rule: the author's leads, whoever reviews. */
    authorId: string;
    audience: StoredAudience | null;
    content: CampaignContent;
    size?: number;
  },
): Promise<ReviewSample[]> {
  const { workspaceId, campaignId, content } = input;
  if (!input.audience || content.identities.length === 0) return [];
  const ids = await sampleEligibleLeadIds(tx, {
    workspaceId,
    userId: input.authorId,
    audience: input.audience,
    campaignId,
    size: input.size ?? REVIEW_SAMPLE_SIZE,
  });
  const leads = await loadTemplateLeads(tx, { workspaceId, leadIds: ids });
  return leads.map((lead, index) => {
    const identity = content.identities[index % content.identities.length]!;
    // Not the lead's own link: the reviewer reads the sample, nobody should act on it.
    const unsubscribe = unsubscribeUrl(TEST_UNSUBSCRIBE_TOKEN);
    return {
      lead: { id: lead.id, name: lead.name, email: lead.email },
      emails: content.steps.flatMap((step) =>
        step.variants.map((variant) => ({
          stepId: step.id,
          position: step.position,
          variantLabel: variant.label,
          weight: variant.weight,
          from: formatAddress(identity.fromName, identity.fromEmail),
          result: renderCampaignEmail({
            subject: variant.subject,
            body: variant.body,
            values: lead.values,
            identity,
            unsubscribeUrl: unsubscribe,
            plainTextOnly: content.plainTextOnly,
          }),
        })),
      ),
    };
  });
}
