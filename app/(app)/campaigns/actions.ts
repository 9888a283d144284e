"use server";
import { defineAction } from "@/app/_server/action";
import { addLeadsToCampaign as addLeads } from "@/lib/campaigns/add-leads-to-campaign";
import { createCampaign as create } from "@/lib/campaigns/create-campaign";
import { deleteCampaign as remove } from "@/lib/campaigns/delete-campaign";
import { saveCampaignDraft as save } from "@/lib/campaigns/save-campaign-draft";
import { ZAddLeadsToCampaign, ZCreateCampaign, ZDeleteCampaign } from "@/lib/campaigns/schemas";
import { ZCampaignDraft } from "@/lib/campaigns/types";

/** The list and every campaign page under it: one layout revalidation covers them. */
const CAMPAIGNS_PATH = "/campaigns";

// Each action needs campaigns.draft; which campaigns that role may change (a rep their own) is
// the service's check (canEditCampaign), and the campaigns RLS policy's after it.

export const createCampaign = defineAction({
  name: "createCampaign",
  schema: ZCreateCampaign,
  auth: "campaigns.draft",
  handler: ({ session, tx }, input) =>
    create(tx, { workspaceId: session.current.workspaceId, actor: { userId: session.userId, role: session.current.role }, input }),
  revalidate: [CAMPAIGNS_PATH],
});

/** The editor's autosave. No revalidation: the editor holds the draft; it refreshes the page itself when the status moves. */
export const saveCampaignDraft = defineAction({
  name: "saveCampaignDraft",
  schema: ZCampaignDraft,
  auth: "campaigns.draft",
  handler: ({ session, tx }, draft) =>
    save(tx, { workspaceId: session.current.workspaceId, actor: { userId: session.userId, role: session.current.role }, draft }),
});

export const deleteCampaign = defineAction({
  name: "deleteCampaign",
  schema: ZDeleteCampaign,
  auth: "campaigns.draft",
  handler: ({ session, tx }, { campaignId }) =>
    remove(tx, { workspaceId: session.current.workspaceId, actor: { userId: session.userId, role: session.current.role }, campaignId }),
  revalidate: [CAMPAIGNS_PATH],
});

export const addLeadsToCampaign = defineAction({
  name: "addLeadsToCampaign",
  schema: ZAddLeadsToCampaign,
  auth: "campaigns.draft",
  handler: ({ session, tx }, { campaignId, ids }) =>
    addLeads(tx, {
      workspaceId: session.current.workspaceId,
      actor: { userId: session.userId, role: session.current.role },
      campaignId,
      ids,
    }),
  revalidate: [CAMPAIGNS_PATH],
});
