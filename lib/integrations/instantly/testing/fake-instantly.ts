import { serveWebHandler } from "../../../../tests/serve-web-handler";

/**
 * A local stand-in for Instantly's API v2 as documented (vendors/instantly-resend.md part 1):
 * Bearer auth (401 "Missing Authorization header" / "Invalid API key" in Instantly's Fastify
 * error body), key scopes (403), `{ items, next_starting_after }` pages that carry a cursor
 * even on the last page with data (an empty page ends the list), `POST /leads/list` with the
 * cursor (and a bounced/unsubscribed `filter`) in the body, `GET /emails` oldest first with a timestamp cursor, and
 * `GET /campaigns/analytics/daily?campaign_id=`. Tests seed the data, change it between syncs,
 * queue faults (429, 5xx, a hang) and read what was asked.
 */
export type FakeInstantlyFault = { path?: string; /** Matching requests answered normally first. */ skip?: number } & (
  { status: number; headers?: Record<string, string>; body?: string } | { hangMs: number }
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
};

export type FakeInstantly = {
  /** The base URL, as INSTANTLY_API_URL takes it (…/api/v2). */
  url: string;
  requests: FakeInstantlyRequest[];
  data: FakeInstantlyData;
  fail: (...faults: FakeInstantlyFault[]) => void;
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

const ROUTES: Record<string, { method: string; resource: string }> = {
  "/campaigns": { method: "GET", resource: "campaigns" },
  "/accounts": { method: "GET", resource: "accounts" },
  "/leads/list": { method: "POST", resource: "leads" },
  "/emails": { method: "GET", resource: "emails" },
  "/campaigns/analytics/daily": { method: "GET", resource: "campaigns" },
};

function allowed(scopes: string[], resource: string): boolean {
  return ["all:all", "all:read", `${resource}:read`, `${resource}:all`].some((s) => scopes.includes(s));
}

/** Items after the cursor (by `key`, ascending), one page of them, and the cursor of its last item. */
function pageOf<T extends Item>(items: T[], key: (item: T) => string, startingAfter: string | undefined, limitParam: unknown) {
  const limit = Math.min(100, Math.max(1, Number(limitParam ?? 100) || 100));
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = startingAfter === undefined ? sorted : sorted.filter((i) => key(i) > startingAfter);
  const slice = rest.slice(0, limit);
  // Like the live API, the last page with data still carries a cursor.
  return { items: slice, next_starting_after: slice.length ? key(slice.at(-1)!) : null };
}

export async function startFakeInstantly(options: FakeInstantlyOptions): Promise<FakeInstantly> {
  const requests: FakeInstantlyRequest[] = [];
  const faults: FakeInstantlyFault[] = [];
  const data: FakeInstantlyData = { campaigns: [], accounts: [], leads: [], emails: [], daily: {}, ...options.data };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    const text = request.method === "GET" ? "" : await request.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    const query = Object.fromEntries(url.searchParams);
    const authorization = request.headers.get("authorization");
    requests.push({ method: request.method, path, query, authorization, userAgent: request.headers.get("user-agent"), body });

    const faultAt = faults.findIndex((f) => !f.path || f.path === path);
    if (faultAt >= 0 && faults[faultAt]!.skip) {
      faults[faultAt]!.skip! -= 1;
    } else if (faultAt >= 0) {
      const [fault] = faults.splice(faultAt, 1);
      if ("hangMs" in fault!) {
        await new Promise((resolve) => setTimeout(resolve, fault.hangMs));
        return json(200, { items: [] });
      }
      return new Response(fault!.body ?? "", { status: fault!.status, headers: fault!.headers });
    }

    if (!authorization) return fastifyError(401, "Unauthorized", "Missing Authorization header");
    const key = /^Bearer (.+)$/.exec(authorization)?.[1];
    const scopes = key === undefined ? undefined : options.keys[key];
    if (!scopes) return fastifyError(401, "Unauthorized", "Invalid API key");

    const route = ROUTES[path];
    if (!route || route.method !== request.method)
      return fastifyError(404, "Not Found", `Route ${request.method}:${url.pathname} not found`);
    if (!allowed(scopes.length ? scopes : ["all:all"], route.resource)) {
      return fastifyError(403, "Forbidden", "Insufficient permissions");
    }

    switch (path) {
      case "/campaigns":
        return json(
          200,
          pageOf(data.campaigns, (c) => c.id, query.starting_after, query.limit),
        );
      case "/accounts":
        return json(
          200,
          pageOf(data.accounts, (a) => a.email, query.starting_after, query.limit),
        );
      case "/leads/list": {
        const status = ({ FILTER_VAL_BOUNCED: -1, FILTER_VAL_UNSUBSCRIBED: -2 } as Record<string, number>)[String(body?.filter)];
        if (body?.filter !== undefined && status === undefined) return json(400, { message: `Unknown filter ${String(body.filter)}` });
        const leads = status === undefined ? data.leads : data.leads.filter((l) => l.status === status);
        return json(
          200,
          pageOf(leads, (l) => l.id, body?.starting_after as string | undefined, body?.limit),
        );
      }
      case "/emails":
        return json(
          200,
          pageOf(data.emails, (e) => e.timestamp_created, query.starting_after, query.limit),
        );
      case "/campaigns/analytics/daily": {
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
    return fastifyError(404, "Not Found", `Route ${request.method}:${url.pathname} not found`);
  }

  const served = await serveWebHandler(handle, options.port);
  return {
    url: `${served.url}${PREFIX}`,
    requests,
    data,
    fail: (...more) => faults.push(...more),
    close: served.close,
  };
}
