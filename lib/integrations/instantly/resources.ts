import { z } from "zod";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import type { InstantlyClient, InstantlyEndpoint } from "./client";
import {
  instantlyPage,
  type LeftOutItem,
  ZInstantlyAddLeadsAnswer,
  type InstantlyAddLeadsAnswer,
  ZInstantlyAccount,
  ZInstantlyCampaign,
  ZInstantlyDailyAnalytics,
  ZInstantlyEmail,
  ZInstantlyLead,
  type InstantlyAccount,
  type InstantlyCampaign,
  type InstantlyDailyAnalytics,
  type InstantlyEmail,
  type InstantlyLead,
} from "./schemas";

/** The most a list endpoint returns per page (`limit` 1–100). */
export const INSTANTLY_PAGE_LIMIT = 100;

export const CAMPAIGNS: InstantlyEndpoint = { method: "GET", path: "/campaigns", name: "campaign list", scope: "campaigns:read" };
export const ACCOUNTS: InstantlyEndpoint = { method: "GET", path: "/accounts", name: "sending account list", scope: "accounts:read" };
export const DAILY_ANALYTICS: InstantlyEndpoint = {
  method: "GET",
  path: "/campaigns/analytics/daily",
  name: "daily campaign analytics",
  scope: "campaigns:read",
};
/** A read, but a POST: the filters and the cursor go in the body. */
export const LEADS: InstantlyEndpoint = { method: "POST", path: "/leads/list", name: "lead list", scope: "leads:read" };
/** GET /emails is limited to 20 requests a minute per workspace: one every 3 s. */
export const EMAILS: InstantlyEndpoint = {
  method: "GET",
  path: "/emails",
  name: "email list (Unibox)",
  scope: "emails:read",
  minIntervalMs: 3_000,
};

export type InstantlyPage<T> = {
  items: T[];
  /** What to send as `starting_after` for the next page; undefined when Instantly sent none. */
  next: string | undefined;
  /** How many items Instantly sent, the ones left out for their shape included (instantlyPage). */
  received: number;
  /** Items left out for their shape, for the sync to keep (integration_invalid_answers). */
  leftOut: LeftOutItem[];
};

const page = <T>(answer: {
  items: T[];
  next_starting_after?: string | number | null;
  received: number;
  skipped: LeftOutItem[];
}): InstantlyPage<T> => {
  if (answer.skipped.length > 0) {
    // The field, never the item: an item is a person's details.
    const first = answer.skipped[0]!;
    console.warn(`[instantly] left out ${answer.skipped.length} of ${answer.received} items of a page: ${first.field}: ${first.problem}`);
  }
  return {
    items: answer.items,
    next: answer.next_starting_after == null ? undefined : String(answer.next_starting_after),
    received: answer.received,
    leftOut: answer.skipped,
  };
};

export async function listCampaignsPage(client: InstantlyClient, startingAfter?: string, limit = INSTANTLY_PAGE_LIMIT) {
  const answer = await client.call(CAMPAIGNS, { query: { limit, starting_after: startingAfter } }, instantlyPage(ZInstantlyCampaign));
  return page<InstantlyCampaign>(answer);
}

export async function listAccountsPage(client: InstantlyClient, startingAfter?: string, limit = INSTANTLY_PAGE_LIMIT) {
  const answer = await client.call(ACCOUNTS, { query: { limit, starting_after: startingAfter } }, instantlyPage(ZInstantlyAccount));
  return page<InstantlyAccount>(answer);
}

/** What a lead list can be narrowed to (`filter`): those Instantly marked bounced, or unsubscribed. */
export type InstantlyLeadFilter = "FILTER_VAL_BOUNCED" | "FILTER_VAL_UNSUBSCRIBED";

/** Narrowing a lead list to one campaign (`campaign`, as list names it) and, within it, to some addresses (`contacts`). */
export type InstantlyLeadScope = { campaign?: string; contacts?: string[] };

/** Leads in `id` order (time-ordered ids), so a stored cursor resumes after the last one seen. */
export async function listLeadsPage(
  client: InstantlyClient,
  startingAfter?: string,
  limit = INSTANTLY_PAGE_LIMIT,
  filter?: InstantlyLeadFilter,
  scope: InstantlyLeadScope = {},
) {
  const answer = await client.call(
    LEADS,
    {
      body: {
        limit,
        starting_after: startingAfter,
        ...(filter ? { filter } : {}),
        ...(scope.campaign ? { campaign: scope.campaign } : {}),
        ...(scope.contacts ? { contacts: scope.contacts } : {}),
      },
    },
    instantlyPage(ZInstantlyLead),
  );
  return page<InstantlyLead>(answer);
}

/** Received emails (replies), oldest first, so a stored cursor resumes after the last one seen. */
export async function listReceivedEmailsPage(client: InstantlyClient, startingAfter?: string, limit = INSTANTLY_PAGE_LIMIT) {
  const answer = await client.call(
    EMAILS,
    { query: { limit, starting_after: startingAfter, email_type: "received", sort_order: "asc" } },
    instantlyPage(ZInstantlyEmail),
  );
  return page<InstantlyEmail>(answer);
}

/** One campaign's days between the two dates (YYYY-MM-DD, inclusive): `campaign_id`, not `id`. */
export async function campaignDailyAnalytics(
  client: InstantlyClient,
  campaignId: string,
  { startDate, endDate }: { startDate: string; endDate: string },
): Promise<InstantlyDailyAnalytics[]> {
  return client.call(
    DAILY_ANALYTICS,
    { query: { campaign_id: campaignId, start_date: startDate, end_date: endDate } },
    z.array(ZInstantlyDailyAnalytics),
  );
}

/**
 * Every page from `startingAfter` on, until Instantly answers an empty page (a last page with
 * data may still carry a cursor) or a cursor it gave before. With `shortPageEnds`, a page with fewer items than asked ends
 * the list too: for the small lists the sync reads whole each time (campaigns, accounts), so
 * that an unchanged one costs one request.
 */
export async function* instantlyPages<T>(
  fetchPage: (startingAfter: string | undefined) => Promise<InstantlyPage<T>>,
  {
    startingAfter,
    shortPageEnds = false,
    limit = INSTANTLY_PAGE_LIMIT,
  }: { startingAfter?: string; shortPageEnds?: boolean; limit?: number } = {},
): AsyncGenerator<InstantlyPage<T>> {
  let cursor = startingAfter;
  // A cursor that comes round again (A → B → A) would read the same pages for ever: the list
  // ends there, and the next sync resumes from the last cursor stored.
  const seen = new Set(cursor === undefined ? [] : [cursor]);
  for (;;) {
    const current = await fetchPage(cursor);
    if (current.received === 0) return;
    yield current;
    if (!current.next || seen.has(current.next) || (shortPageEnds && current.received < limit)) return;
    cursor = current.next;
    seen.add(cursor);
  }
}

/**
 * Creating a campaign: never retried by the client (Instantly has no idempotency key, and a
 * retried creation whose first answer was lost would leave two campaigns).
 */
export const CREATE_CAMPAIGN: InstantlyEndpoint = {
  method: "POST",
  path: "/campaigns",
  name: "campaign creation",
  scope: "campaigns:create",
  once: true,
};
/**
 * Adding leads to a campaign, at most 1,000 a request: made once, never retried by the client.
 * It is sent without skip flags (addLeadsToCampaign), so a request repeated after a lost answer
 * would add every lead again; a retry of the push's step looks the batch up first instead.
 */
export const ADD_LEADS: InstantlyEndpoint = { method: "POST", path: "/leads/add", name: "lead upload", scope: "leads:create", once: true };
/** At most this many leads per POST /leads/add. */
export const INSTANTLY_ADD_LEADS_LIMIT = 1_000;

const campaignAction = (id: string, action: "activate" | "pause"): InstantlyEndpoint => ({
  method: "POST",
  path: `/campaigns/${encodeURIComponent(id)}/${action}`,
  name: action === "activate" ? "campaign activation" : "campaign pause",
  scope: "campaigns:update",
});

/** A step of Instantly's sequence: its variants are the A/B versions. */
export type InstantlyStep = {
  type: "email";
  delay: number;
  delay_unit: "minutes" | "hours" | "days";
  variants: { subject: string; body: string }[];
};

export type InstantlySchedule = {
  name: string;
  timing: { from: string; to: string };
  /** "0" Sunday … "6" Saturday. */
  days: Record<string, boolean>;
  timezone: string;
};

/** POST /campaigns: only `name` and `campaign_schedule` are required; the campaign starts as a draft (status 0). */
export type CreateInstantlyCampaign = {
  name: string;
  campaign_schedule: { start_date?: string; schedules: InstantlySchedule[] };
  /** Only sequences[0] is used: every step goes in it. */
  sequences: { steps: InstantlyStep[] }[];
  email_list: string[];
  stop_on_reply?: boolean;
  text_only?: boolean;
  insert_unsubscribe_header?: boolean;
  daily_limit?: number;
};

export async function createCampaign(client: InstantlyClient, body: CreateInstantlyCampaign): Promise<InstantlyCampaign> {
  return client.call(CREATE_CAMPAIGN, { body }, ZInstantlyCampaign);
}

/** Campaigns whose name contains `search` (Instantly's name search), first page. */
export async function searchCampaigns(client: InstantlyClient, search: string): Promise<InstantlyCampaign[]> {
  const answer = await client.call(CAMPAIGNS, { query: { search, limit: INSTANTLY_PAGE_LIMIT } }, instantlyPage(ZInstantlyCampaign));
  return answer.items;
}

/** Starts a draft, or resumes a paused campaign: Instantly answers the campaign (status 1). */
export async function activateCampaign(client: InstantlyClient, id: string): Promise<InstantlyCampaign> {
  return client.call(campaignAction(id, "activate"), {}, ZInstantlyCampaign);
}

export async function pauseCampaign(client: InstantlyClient, id: string): Promise<InstantlyCampaign> {
  return client.call(campaignAction(id, "pause"), {}, ZInstantlyCampaign);
}

/**
 * Deletes a lead from the Instantly workspace, and so from its campaign: Instantly sends it
 * nothing more (its API has no per-lead stop; vendors file §1.8, `DELETE /leads/{id}`). A lead
 * Instantly no longer has (404) is as good as removed.
 */
export async function deleteLead(client: InstantlyClient, id: string): Promise<"deleted" | "already_gone"> {
  const endpoint: InstantlyEndpoint = {
    method: "DELETE",
    path: `/leads/${encodeURIComponent(id)}`,
    name: "lead removal",
    scope: "leads:delete",
  };
  try {
    await client.call(endpoint, {}, z.unknown());
    return "deleted";
  } catch (error) {
    if (error instanceof VendorError && error.details.status === 404) return "already_gone";
    throw error;
  }
}

/** A lead for POST /leads/add: the standard fields and a flat map of custom variables. */
export type InstantlyNewLead = {
  email: string;
  first_name?: string;
  last_name?: string;
  company_name?: string;
  job_title?: string;
  personalization?: string;
  custom_variables: Record<string, string | number | boolean | null>;
};

/**
 * Adds up to 1,000 leads to a campaign. No skip flag: `skip_if_in_campaign` skips a lead in ANY
 * campaign of the workspace, ended ones included, which would leave every earlier prospect out
 * of a follow-up. The push looks the batch up first instead (instantlyStandingOf), so a batch
 * sent again adds nobody twice and a lead in another campaign's running sequence is left out.
 */
export async function addLeadsToCampaign(
  client: InstantlyClient,
  campaignId: string,
  leads: InstantlyNewLead[],
): Promise<InstantlyAddLeadsAnswer> {
  if (leads.length < 1 || leads.length > INSTANTLY_ADD_LEADS_LIMIT) {
    throw new RangeError(`Instantly takes 1 to ${INSTANTLY_ADD_LEADS_LIMIT} leads per request, not ${leads.length}.`);
  }
  return client.call(
    ADD_LEADS,
    { body: { campaign_id: campaignId, leads, skip_if_in_campaign: false, skip_if_in_workspace: false, verify_leads_on_import: false } },
    ZInstantlyAddLeadsAnswer,
  );
}
