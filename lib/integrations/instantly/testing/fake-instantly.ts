import { randomUUID } from "node:crypto";
import { serveWebHandler } from "../../../../tests/serve-web-handler";
import { INSTANTLY_TIME_ZONES } from "../time-zones";

/**
 * A local stand-in for Instantly's API v2 as documented (vendors/instantly-resend.md part 1):
 * Bearer auth (401 "Missing Authorization header" / "Invalid API key" in Instantly's Fastify
 * error body), key scopes (403), `{ items, next_starting_after }` pages that carry a cursor
 * even on the last page with data (an empty page ends the list), `POST /leads/list` with the
 * cursor (and a bounced/unsubscribed `filter`) in the body, `GET /emails` oldest first with a timestamp cursor, and
 * `GET /campaigns/analytics/daily?campaign_id=`. The writes of a push: `POST /campaigns`
 * (a draft, status 0; 400 for a time zone not on Instantly's list), `POST /campaigns/{id}/activate`
 * and `/pause`, `POST /leads/add` (1–1000 leads, `campaign_id` xor `list_id`, and the skip
 * flags: without them a lead already in the campaign is added again, the worst case the docs
 * leave open). Webhooks (§1.10): `GET/POST /webhooks`, `PATCH /webhooks/{id}` and
 * `POST /webhooks/{id}/resume`; a test disables one (`status` -1 with `timestamp_error`) as
 * Instantly does after failed deliveries. Tests seed the data, change it between syncs, queue faults (429, 5xx, a hang,
 * or an answer lost after the request was carried out) and read what was asked.
 */
export type FakeInstantlyFault = {
  path?: string;
  method?: string;
  /** Matching requests answered normally first. */ skip?: number;
} & (
  | {
      status: number;
      headers?: Record<string, string>;
      body?: string;
      /** Carry the request out, then answer with this status instead (the answer is lost). */
      afterHandling?: boolean;
    }
  | { hangMs: number }
);

export type FakeInstantlyRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  userAgent: string | null;
  body: Record<string, unknown> | null;
};

type Item = Record<string, unknown>;

export type FakeInstantlyData = {
  campaigns: (Item & { id: string })[];
  accounts: (Item & { email: string })[];
  leads: (Item & { id: string })[];
  /** Received emails (replies); `timestamp_created` orders them. */
  emails: (Item & { id: string; timestamp_created: string })[];
  /** Per campaign id, its days. */
  daily: Record<string, (Item & { date: string })[]>;
  /** Registered webhooks; `status` 1 is active, anything else disabled. */
  webhooks: (Item & { id: string; status: number })[];
};

export type FakeInstantly = {
  /** The base URL, as INSTANTLY_API_URL takes it (…/api/v2). */
  url: string;
  requests: FakeInstantlyRequest[];
  data: FakeInstantlyData;
  fail: (...faults: FakeInstantlyFault[]) => void;
  /**
   * At most this many leads a page of POST /leads/list, whatever the limit asked (null: the
   * limit): a live page may be short before the end of a list, which only an empty page ends
   * (vendors file §1.2).
   */
  leadPageCap: number | null;
  close: () => Promise<void>;
};

export type FakeInstantlyOptions = {
  /** Keys and their scopes (`all:all` when none are given). */
  keys: Record<string, string[]>;
  data?: Partial<FakeInstantlyData>;
  port?: number;
};

const PREFIX = "/api/v2";
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const fastifyError = (statusCode: number, error: string, message: string) => json(statusCode, { statusCode, error, message });

type Action = "read" | "create" | "update" | "delete";
const ROUTES: Record<string, { resource: string; action: Action }> = {
  "GET /campaigns": { resource: "campaigns", action: "read" },
  "POST /campaigns": { resource: "campaigns", action: "create" },
  "GET /accounts": { resource: "accounts", action: "read" },
  "POST /leads/list": { resource: "leads", action: "read" },
  "POST /leads/add": { resource: "leads", action: "create" },
  "DELETE /leads/:id": { resource: "leads", action: "delete" },
  "GET /emails": { resource: "emails", action: "read" },
  "GET /campaigns/analytics/daily": { resource: "campaigns", action: "read" },
  "POST /campaigns/:id/activate": { resource: "campaigns", action: "update" },
  "POST /campaigns/:id/pause": { resource: "campaigns", action: "update" },
  "GET /webhooks": { resource: "webhooks", action: "read" },
  "POST /webhooks": { resource: "webhooks", action: "create" },
  "PATCH /webhooks/:id": { resource: "webhooks", action: "update" },
  "POST /webhooks/:id/resume": { resource: "webhooks", action: "update" },
};

/** The route of a request, with the campaign id of `/campaigns/{id}/…` paths. */
function routeOf(method: string, path: string): { key: string; id?: string } {
  const action = /^\/campaigns\/([^/]+)\/(activate|pause)$/.exec(path);
  if (action && action[1] !== "analytics") return { key: `${method} /campaigns/:id/${action[2]}`, id: decodeURIComponent(action[1]!) };
  const lead = method === "DELETE" ? /^\/leads\/([^/]+)$/.exec(path) : null;
  if (lead) return { key: "DELETE /leads/:id", id: decodeURIComponent(lead[1]!) };
  const hook = /^\/webhooks\/([^/]+)(\/resume)?$/.exec(path);
  if (hook) return { key: `${method} /webhooks/:id${hook[2] ?? ""}`, id: decodeURIComponent(hook[1]!) };
  return { key: `${method} ${path}` };
}

function allowed(scopes: string[], resource: string, action: Action): boolean {
  return ["all:all", `all:${action}`, `${resource}:${action}`, `${resource}:all`].some((s) => scopes.includes(s));
}

/** Instantly's campaign time zones (its OpenAPI enum): anything else is refused. */
const TIME_ZONES: ReadonlySet<string> = new Set(INSTANTLY_TIME_ZONES);

/** Items after the cursor (by `key`, ascending), one page of them, and the cursor of its last item. */
function pageOf<T extends Item>(
  items: T[],
  key: (item: T) => string,
  startingAfter: string | undefined,
  limitParam: unknown,
  cap: number | null = null,
) {
  const limit = Math.min(100, cap ?? 100, Math.max(1, Number(limitParam ?? 100) || 100));
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = startingAfter === undefined ? sorted : sorted.filter((i) => key(i) > startingAfter);
  const slice = rest.slice(0, limit);
  // Like the live API, the last page with data still carries a cursor.
  return { items: slice, next_starting_after: slice.length ? key(slice.at(-1)!) : null };
}

export async function startFakeInstantly(options: FakeInstantlyOptions): Promise<FakeInstantly> {
  const tunables = { leadPageCap: null as number | null };
  const requests: FakeInstantlyRequest[] = [];
  const faults: FakeInstantlyFault[] = [];
  let leadSeq = 0;
  // Time-ordered like Instantly's UUIDv7 lead ids, after any seeded ones.
  const leadIdOf = (n: number) => `0199f000-0000-7000-8000-${String(n).padStart(12, "0")}`;
  const data: FakeInstantlyData = { campaigns: [], accounts: [], leads: [], emails: [], daily: {}, webhooks: [], ...options.data };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    const text = request.method === "GET" ? "" : await request.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    const query = Object.fromEntries(url.searchParams);
    const authorization = request.headers.get("authorization");
    requests.push({ method: request.method, path, query, authorization, userAgent: request.headers.get("user-agent"), body });

    const faultAt = faults.findIndex((f) => (!f.path || f.path === path) && (!f.method || f.method === request.method));
    if (faultAt >= 0 && faults[faultAt]!.skip) {
      faults[faultAt]!.skip! -= 1;
    } else if (faultAt >= 0) {
      const [fault] = faults.splice(faultAt, 1);
      if ("hangMs" in fault!) {
        await new Promise((resolve) => setTimeout(resolve, fault.hangMs));
        return json(200, { items: [] });
      }
      if (!fault!.afterHandling) return new Response(fault!.body ?? "", { status: fault!.status, headers: fault!.headers });
      await answer(request.method, path, url, query, body, authorization);
      return new Response(fault!.body ?? "", { status: fault!.status, headers: fault!.headers });
    }
    return answer(request.method, path, url, query, body, authorization);
  }

  async function answer(
    method: string,
    path: string,
    url: URL,
    query: Record<string, string>,
    body: Record<string, unknown> | null,
    authorization: string | null,
  ): Promise<Response> {
    if (!authorization) return fastifyError(401, "Unauthorized", "Missing Authorization header");
    const key = /^Bearer (.+)$/.exec(authorization)?.[1];
    const scopes = key === undefined ? undefined : options.keys[key];
    if (!scopes) return fastifyError(401, "Unauthorized", "Invalid API key");

    const { key: routeKey, id: routeId } = routeOf(method, path);
    const route = ROUTES[routeKey];
    if (!route) return fastifyError(404, "Not Found", `Route ${method}:${url.pathname} not found`);
    if (!allowed(scopes.length ? scopes : ["all:all"], route.resource, route.action)) {
      return fastifyError(403, "Forbidden", "Insufficient permissions");
    }

    switch (routeKey) {
      case "GET /campaigns": {
        const search = query.search?.toLowerCase();
        const campaigns = search
          ? data.campaigns.filter((c) =>
              String(c.name ?? "")
                .toLowerCase()
                .includes(search),
            )
          : data.campaigns;
        return json(
          200,
          pageOf(campaigns, (c) => c.id, query.starting_after, query.limit),
        );
      }
      case "POST /campaigns":
        return createCampaign(body);
      case "POST /campaigns/:id/activate":
      case "POST /campaigns/:id/pause": {
        const campaign = data.campaigns.find((c) => c.id === routeId);
        if (!campaign) return fastifyError(404, "Not Found", "Campaign not found");
        campaign.status = routeKey.endsWith("activate") ? 1 : 2;
        campaign.timestamp_updated = new Date().toISOString();
        return json(200, campaign);
      }
      case "POST /leads/add":
        return addLeads(body);
      case "DELETE /leads/:id": {
        const index = data.leads.findIndex((l) => l.id === routeId);
        if (index < 0) return fastifyError(404, "Not Found", "Lead not found");
        const [removed] = data.leads.splice(index, 1);
        return json(200, removed);
      }
      case "GET /accounts":
        return json(
          200,
          pageOf(data.accounts, (a) => a.email, query.starting_after, query.limit),
        );
      case "POST /leads/list": {
        const status = ({ FILTER_VAL_BOUNCED: -1, FILTER_VAL_UNSUBSCRIBED: -2 } as Record<string, number>)[String(body?.filter)];
        if (body?.filter !== undefined && status === undefined) return json(400, { message: `Unknown filter ${String(body.filter)}` });
        const contacts = Array.isArray(body?.contacts) ? new Set((body.contacts as unknown[]).map((c) => String(c).toLowerCase())) : null;
        const leads = data.leads.filter(
          (l) =>
            (status === undefined || l.status === status) &&
            (body?.campaign === undefined || l.campaign === body.campaign) &&
            (!contacts || contacts.has(String(l.email ?? "").toLowerCase())),
        );
        return json(
          200,
          pageOf(leads, (l) => l.id, body?.starting_after as string | undefined, body?.limit, tunables.leadPageCap),
        );
      }
      case "GET /emails":
        return json(
          200,
          pageOf(data.emails, (e) => e.timestamp_created, query.starting_after, query.limit),
        );
      case "GET /webhooks":
        return json(
          200,
          pageOf(data.webhooks, (h) => h.id, query.starting_after, query.limit),
        );
      case "POST /webhooks": {
        if (typeof body?.target_hook_url !== "string" || !/^https?:\/\//.test(body.target_hook_url)) {
          return badRequest('body/target_hook_url must match pattern "^https?://"');
        }
        const now = new Date().toISOString();
        const hook = { ...body, id: randomUUID(), status: 1, timestamp_created: now, timestamp_error: null };
        data.webhooks.push(hook);
        return json(200, hook);
      }
      case "PATCH /webhooks/:id":
      case "POST /webhooks/:id/resume": {
        const hook = data.webhooks.find((h) => h.id === routeId);
        if (!hook) return fastifyError(404, "Not Found", "Webhook not found");
        if (routeKey === "PATCH /webhooks/:id") Object.assign(hook, body ?? {}, { id: hook.id });
        else Object.assign(hook, { status: 1, timestamp_error: null });
        return json(200, hook);
      }
      case "GET /campaigns/analytics/daily": {
        if (!query.campaign_id) return json(400, { message: "campaign_id is required" });
        if (query.start_date && query.end_date && query.start_date > query.end_date) {
          return json(400, { message: "Start Date must be earlier than End Date" });
        }
        const days = (data.daily[query.campaign_id] ?? []).filter(
          (d) => (!query.start_date || d.date >= query.start_date) && (!query.end_date || d.date <= query.end_date),
        );
        return json(200, days);
      }
    }
    return fastifyError(404, "Not Found", `Route ${method}:${url.pathname} not found`);
  }

  const badRequest = (message: string) => fastifyError(400, "Bad Request", message);

  function createCampaign(body: Record<string, unknown> | null): Response {
    if (typeof body?.name !== "string" || !body.name) return badRequest("body must have required property 'name'");
    const schedule = body.campaign_schedule as { schedules?: { timezone?: unknown }[] } | undefined;
    if (!schedule || !Array.isArray(schedule.schedules) || schedule.schedules.length === 0) {
      return badRequest("body must have required property 'campaign_schedule'");
    }
    for (const [i, s] of schedule.schedules.entries()) {
      if (typeof s.timezone !== "string" || !TIME_ZONES.has(s.timezone)) {
        return badRequest(`body/campaign_schedule/schedules/${i}/timezone must be equal to one of the allowed values`);
      }
    }
    const now = new Date().toISOString();
    const campaign = { ...body, id: randomUUID(), name: body.name, status: 0, timestamp_created: now, timestamp_updated: now };
    data.campaigns.push(campaign);
    return json(200, campaign);
  }

  function addLeads(body: Record<string, unknown> | null): Response {
    const campaignId = body?.campaign_id;
    if ((campaignId === undefined) === (body?.list_id === undefined))
      return badRequest("Exactly one of campaign_id or list_id is required");
    const leads = body?.leads;
    if (!Array.isArray(leads) || leads.length < 1 || leads.length > 1000) {
      return badRequest("body/leads must NOT have more than 1000 items and NOT have fewer than 1 items");
    }
    if (campaignId !== undefined && !data.campaigns.some((c) => c.id === campaignId))
      return fastifyError(404, "Not Found", "Campaign not found");
    const created: { index: number; id: string; email: string }[] = [];
    let skipped = 0;
    let invalid = 0;
    for (const [index, lead] of (leads as Item[]).entries()) {
      const email = typeof lead.email === "string" ? lead.email.trim().toLowerCase() : "";
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
        invalid++;
        continue;
      }
      const existing = data.leads.filter((l) => String(l.email ?? "").toLowerCase() === email);
      const skip =
        (body?.skip_if_in_workspace === true && existing.length > 0) ||
        (body?.skip_if_in_campaign === true && existing.some((l) => l.campaign)) ||
        (body?.skip_if_in_list === true && existing.some((l) => l.list_id));
      if (skip) {
        skipped++;
        continue;
      }
      const id = leadIdOf(++leadSeq);
      const now = new Date().toISOString();
      data.leads.push({
        ...lead,
        id,
        email,
        campaign: campaignId ?? null,
        list_id: body?.list_id ?? null,
        status: 1,
        timestamp_created: now,
        timestamp_updated: now,
      });
      created.push({ index, id, email });
    }
    return json(200, {
      status: "success",
      total_sent: leads.length,
      leads_uploaded: created.length,
      in_blocklist: 0,
      blocklist_used: null,
      duplicated_leads: 0,
      skipped_count: skipped,
      invalid_email_count: invalid,
      incomplete_count: 0,
      duplicate_email_count: 0,
      remaining_in_plan: 100_000,
      created_leads: created,
    });
  }

  const served = await serveWebHandler(handle, options.port);
  return {
    url: `${served.url}${PREFIX}`,
    requests,
    data,
    fail: (...more) => faults.push(...more),
    get leadPageCap() {
      return tunables.leadPageCap;
    },
    set leadPageCap(cap: number | null) {
      tunables.leadPageCap = cap;
    },
    close: served.close,
  };
}
