import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { campaigns, leads } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { classifiedAudienceQuery } from "@/lib/campaigns/audience/resolve-audience";
import { campaignContent } from "@/lib/campaigns/content-hash";
import type { ExclusionReason, VariantLabel } from "@/lib/campaigns/types";
import { TEST_UNSUBSCRIBE_TOKEN, unsubscribeUrl } from "@/lib/campaigns/unsubscribe-token";
import { forbidden, notFound } from "@/lib/errors";
import { loadTemplateLeads } from "./load-template-leads";
import { renderCampaignEmail, type RenderCampaignEmailResult } from "./render-campaign-email";
import type { PreviewCampaignEmailInput } from "./schemas";

export type PreviewActor = { userId: string; current: { workspaceId: string; role: WorkspaceRole } };

export type PreviewLead = { id: string; name: string; email: string | null; excludedReason: ExclusionReason | null };

export type CampaignEmailPreview = {
  campaign: { id: string; name: string };
  steps: { id: string; position: number; variants: VariantLabel[] }[];
  identities: { id: string; label: string }[];
  /** Leads of the audience to pick from (up to 25 matching the search, the chosen one first). */
  leads: PreviewLead[];
  /** What is shown, after defaults: the first step, variant, identity and lead. */
  selection: { stepId: string | null; variantLabel: VariantLabel | null; identityId: string | null; leadId: string | null };
  /** Why nothing can be rendered yet (no step, no identity, no lead in the audience), in words. */
  missing: string | null;
  /** The email exactly as it would go to the chosen lead, or why it would be blocked. */
  result: RenderCampaignEmailResult | null;
};

const PICKER_SIZE = 25;

/**
 * One email of a campaign rendered for one lead of its audience, exactly as it would be sent
 * (subject, From, headers with that lead's own unsubscribe token, HTML, text), for the editor
 * and the review screen. Reads the saved content as the database hashes it. Any member who may
 * draft or approve campaigns may look; RLS scopes every read to the workspace.
 */
export async function previewCampaignEmail(
  tx: Executor,
  actor: PreviewActor,
  input: PreviewCampaignEmailInput,
): Promise<CampaignEmailPreview> {
  const role = actor.current.role;
  if (!can(role, "campaigns.draft") && !can(role, "campaigns.approve")) throw forbidden();
  const workspaceId = actor.current.workspaceId;
  const [campaign] = await tx
    .select({ id: campaigns.id, name: campaigns.name, audience: campaigns.audience, ownerId: campaigns.ownerId })
    .from(campaigns)
    .where(and(eq(campaigns.id, input.campaignId), eq(campaigns.workspaceId, workspaceId)));
  if (!campaign) throw notFound("That campaign");
  const current = await campaignContent(tx, campaign.id);
  if (!current) throw notFound("That campaign");
  const { content } = current;

  const steps = [...content.steps].sort((a, b) => a.position - b.position);
  const step = steps.find((s) => s.id === input.stepId) ?? steps[0];
  const variant = step?.variants.find((v) => v.label === input.variantLabel) ?? step?.variants[0];
  const identity = content.identities.find((i) => i.id === input.identityId) ?? content.identities[0];

  // "Me" in the audience's owner filter is the author, whoever looks (as the review resolves it).
  const scope = { workspaceId, userId: campaign.ownerId ?? actor.userId, campaignId: campaign.id };
  const pickerLeads = campaign.audience ? await audienceLeads(tx, { ...scope, audience: campaign.audience }, input) : [];
  const lead = pickerLeads.find((l) => l.id === input.leadId) ?? (input.leadId ? undefined : pickerLeads[0]);

  const base = {
    campaign: { id: campaign.id, name: campaign.name },
    steps: steps.map((s) => ({ id: s.id, position: s.position, variants: s.variants.map((v) => v.label as VariantLabel) })),
    identities: content.identities.map((i) => ({ id: i.id, label: `${i.fromName} <${i.fromEmail}>` })),
    leads: pickerLeads,
    selection: {
      stepId: step?.id ?? null,
      variantLabel: (variant?.label as VariantLabel | undefined) ?? null,
      identityId: identity?.id ?? null,
      leadId: lead?.id ?? null,
    },
  };
  const missing =
    !step || !variant
      ? "Add a step to preview its email."
      : !identity
        ? "Choose a sending identity to preview the email."
        : !campaign.audience
          ? "Choose an audience to preview the email for one of its leads."
          : !lead
            ? input.leadId
              ? "That lead is not in this campaign's audience."
              : "No lead of the audience matches."
            : null;
  if (missing || !step || !variant || !identity || !lead) return { ...base, missing, result: null };

  const [values] = await loadTemplateLeads(tx, { workspaceId, leadIds: [lead.id] });
  if (!values) return { ...base, missing: "That lead is not in this campaign's audience.", result: null };
  const result = renderCampaignEmail({
    subject: variant.subject,
    body: variant.body,
    values: values.values,
    identity,
    // Never the lead's own link: whoever may preview must not get a working token.
    unsubscribeUrl: unsubscribeUrl(TEST_UNSUBSCRIBE_TOKEN),
    plainTextOnly: content.plainTextOnly,
  });
  return { ...base, missing: null, result };
}

/**
 * Leads of the audience for the picker: the chosen one (when it is in the audience) first, then
 * up to PICKER_SIZE matching the search, eligible ones first. Excluded leads can be previewed
 * too, labelled with their reason.
 */
async function audienceLeads(
  tx: Executor,
  scope: Parameters<typeof classifiedAudienceQuery>[0],
  { leadId, search }: PreviewCampaignEmailInput,
): Promise<PreviewLead[]> {
  const needle = search?.toLowerCase();
  const matches = needle ? sql`position(private.unaccent_text(${needle}) in ${leads.searchText}) > 0` : sql`true`;
  const chosen = leadId ? sql`${leads.id} = ${leadId}::uuid` : sql`false`;
  const rows = await tx.execute<{ id: string; name: string; email: string | null; reason: ExclusionReason | null }>(sql`
    select ${leads.id} as id, coalesce(nullif(btrim(concat_ws(' ', ${leads.firstName}, ${leads.lastName})), ''), ${leads.email}, 'Unnamed lead') as name,
      ${leads.email} as email, classified.reason
    from (${classifiedAudienceQuery(scope)}) classified
    join ${leads} on ${leads.id} = classified.id
    where ${chosen} or (${matches})
    order by (case when ${chosen} then 0 else 1 end), (classified.reason is null) desc, ${leads.sortName}, ${leads.id}
    limit ${PICKER_SIZE + 1}`);
  return rows
    .slice(0, leadId ? PICKER_SIZE + 1 : PICKER_SIZE)
    .map((r) => ({ id: r.id, name: r.name, email: r.email, excludedReason: r.reason }));
}
