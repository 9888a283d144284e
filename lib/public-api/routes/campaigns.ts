import "server-only";
import type { z } from "zod";
import { addLeadsToCampaign } from "@/lib/campaigns/add-leads-to-campaign";
import { AppError } from "@/lib/errors";
import { getCampaign } from "@/lib/campaigns/get-campaign";
import { CAMPAIGN_LIST_LIMIT, listCampaigns } from "@/lib/campaigns/list-campaigns";
import { getCampaignFunnel } from "@/lib/campaigns/stats/campaign-funnel";
import { getCampaignStats } from "@/lib/campaigns/stats/campaign-stats";
import type { StoredAudience } from "@/lib/campaigns/types";
import type { ApiRouteDefinition } from "../define-route";
import {
  ZCampaignAddLeadsBody,
  ZCampaignAddLeadsResponse,
  ZCampaignIdParams,
  ZCampaignList,
  ZCampaignListQuery,
  ZCampaignResponse,
} from "../campaign-schemas";

/**
 * The campaigns operations: reading them with their figures, and adding leads to a draft. No
 * approval, launch, pause or stop through a key: sending stays with a signed-in admin who sees
 * what goes out (DESIGN.md §1, §7.1).
 */

function audienceOf(audience: StoredAudience | null) {
  if (!audience) return null;
  return {
    kind: audience.kind,
    leadCount: audience.kind === "ids" ? audience.ids.length : null,
    query: audience.kind === "ids" ? null : audience.query,
    viewName: audience.kind === "view" ? audience.viewName : null,
  };
}

export const listCampaignsRoute = {
  doc: {
    method: "get",
    path: "/campaigns",
    operationId: "listCampaigns",
    tag: "Campaigns",
    summary: "List campaigns",
    description: `The workspace's campaigns, most recently changed first (at most ${CAMPAIGN_LIST_LIMIT}), each with its figures.`,
    status: 200,
    response: ZCampaignList,
  },
  access: "read",
  permission: "workspace.read",
  query: ZCampaignListQuery,
  handler: async ({ principal, tx }, { query }) => {
    const { workspaceId, userId } = principal;
    const rows = await listCampaigns(tx, { workspaceId, userId, filters: { status: query.status ?? [], owner: query.owner } });
    const stats = await getCampaignStats(tx, { workspaceId, campaignIds: rows.map((r) => r.id) });
    return {
      body: {
        data: rows.map((row) => ({ ...row, audience: audienceOf(row.audience), stats: stats.get(row.id)! })),
        limit: CAMPAIGN_LIST_LIMIT,
      },
    };
  },
} satisfies ApiRouteDefinition<z.ZodUndefined, typeof ZCampaignListQuery, z.ZodUndefined, z.input<typeof ZCampaignList>>;

export const getCampaignRoute = {
  doc: {
    method: "get",
    path: "/campaigns/{id}",
    operationId: "getCampaign",
    tag: "Campaigns",
    summary: "Get a campaign",
    description:
      "One campaign with its steps, its figures and its funnel per step and A/B variant. A campaign of another workspace is not found (404).",
    status: 200,
    response: ZCampaignResponse,
  },
  access: "read",
  permission: "workspace.read",
  params: ZCampaignIdParams,
  handler: async ({ principal, tx }, { params }) => {
    const scope = { workspaceId: principal.workspaceId, campaignId: params.id };
    const campaign = await getCampaign(tx, scope);
    const stats = await getCampaignStats(tx, { workspaceId: principal.workspaceId, campaignIds: [params.id] });
    const funnel = await getCampaignFunnel(tx, scope);
    const { draft, approvalId: _approval, ...fields } = campaign;
    return {
      body: {
        data: {
          ...fields,
          audience: audienceOf(draft.audience),
          stopOnReply: draft.stopOnReply,
          steps: draft.steps.map((step, index) => ({
            position: index + 1,
            delayDays: step.delayDays,
            delayHours: step.delayHours,
            businessDays: step.businessDays,
            variants: step.variants,
          })),
          stats: stats.get(params.id)!,
          funnel,
        },
      },
    };
  },
} satisfies ApiRouteDefinition<typeof ZCampaignIdParams, z.ZodUndefined, z.ZodUndefined, z.input<typeof ZCampaignResponse>>;

export const addCampaignLeadsRoute = {
  doc: {
    method: "post",
    path: "/campaigns/{id}/leads",
    operationId: "addCampaignLeads",
    tag: "Campaigns",
    summary: "Add leads to a draft",
    description:
      "As Add to campaign in the lead table, for a draft whose audience is picked leads (or not chosen yet): the leads join it, once each. A campaign that is not a draft is refused (409), so a key never sends an approved campaign back to draft; so is one whose audience is a filter or a saved view. The key's creator must be allowed to edit the campaign (its author, a manager or an admin).",
    status: 200,
    response: ZCampaignAddLeadsResponse,
  },
  access: "write",
  permission: "campaigns.draft",
  params: ZCampaignIdParams,
  body: ZCampaignAddLeadsBody,
  handler: async ({ principal, tx }, { params, body }) => {
    const result = await addLeadsToCampaign(tx, {
      workspaceId: principal.workspaceId,
      actor: { userId: principal.userId, role: principal.role },
      campaignId: params.id,
      ids: body.leadIds,
      draftOnly: true,
    }).catch((error: unknown) => {
      // The service names its own input (`ids`); the body calls it `leadIds`.
      if (error instanceof AppError && error.fieldErrors?.ids) {
        throw new AppError(error.code, error.message, { leadIds: error.fieldErrors.ids });
      }
      throw error;
    });
    return { body: { data: { added: result.added, total: result.total, unknown: result.unknown } } };
  },
} satisfies ApiRouteDefinition<
  typeof ZCampaignIdParams,
  z.ZodUndefined,
  typeof ZCampaignAddLeadsBody,
  z.input<typeof ZCampaignAddLeadsResponse>
>;
