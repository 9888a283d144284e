import { z } from "zod";
import type { InstantlyClient, InstantlyEndpoint } from "./client";
import {
  instantlyPage,
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
};

const page = <T>(answer: { items: T[]; next_starting_after?: string | number | null }): InstantlyPage<T> => ({
  items: answer.items,
  next: answer.next_starting_after == null ? undefined : String(answer.next_starting_after),
});

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

/** Leads in `id` order (time-ordered ids), so a stored cursor resumes after the last one seen. */
export async function listLeadsPage(
  client: InstantlyClient,
  startingAfter?: string,
  limit = INSTANTLY_PAGE_LIMIT,
  filter?: InstantlyLeadFilter,
) {
  const answer = await client.call(
    LEADS,
    { body: { limit, starting_after: startingAfter, ...(filter ? { filter } : {}) } },
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
 * data may still carry a cursor). With `shortPageEnds`, a page with fewer items than asked ends
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
  for (;;) {
    const current = await fetchPage(cursor);
    if (current.items.length === 0) return;
    yield current;
    if (!current.next || current.next === cursor || (shortPageEnds && current.items.length < limit)) return;
    cursor = current.next;
  }
}
