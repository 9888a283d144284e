import { serveWebHandler } from "../../../../tests/serve-web-handler";
import { fakeEnrichedPerson, fakeMatchIndex, fakeSearchPerson, type FakeMatchDetail } from "./fake-people";

/**
 * A local stand-in for Apollo's REST API as documented (vendors/apollo…md §1): `x-api-key`
 * auth (401 text/plain for a wrong key, 403 API_INACCESSIBLE for search without a master key),
 * `GET /auth/health`, `POST /mixed_people/api_search` (JSON body or `[]` query parameters, 100
 * per page, `total_entries` only), `POST /people/bulk_match` (≤ 10 details matched by id, email, LinkedIn URL or name + domain, null for a miss,
 * `credits_consumed`), rate-limit headers on every answer. Tests queue faults (429, 5xx, a hang)
 * and read what was asked and what it charged.
 */
export type FakeApolloFault = { path?: string } & (
  { status: number; headers?: Record<string, string>; body?: string } | { hangMs: number }
);

export type FakeApolloRequest = { method: string; path: string; apiKey: string | null; body: Record<string, unknown> | null };

export type FakeApollo = {
  /** The base URL, as APOLLO_API_URL takes it (…/api/v1). */
  url: string;
  requests: FakeApolloRequest[];
  /** The next requests (to `path`, when given) get these answers instead, in order. */
  fail: (...faults: FakeApolloFault[]) => void;
  /** Forgets the requests seen and the faults not yet served, so one test's leftovers never reach the next. */
  reset: () => void;
  creditsCharged: () => number;
  /** How many times each id was revealed. */
  enrichments: Map<string, number>;
  close: () => Promise<void>;
};

export type FakeApolloOptions = {
  /** Keys that may search too. */
  masterKeys?: string[];
  keys?: string[];
  /** People every search matches. */
  totalEntries?: number;
  /** A fixed port (the e2e app is configured before the spec runs); random otherwise. */
  port?: number;
};

const PREFIX = "/api/v1";
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export async function startFakeApollo(options: FakeApolloOptions = {}): Promise<FakeApollo> {
  const masterKeys = new Set(options.masterKeys ?? []);
  const keys = new Set([...(options.keys ?? []), ...masterKeys]);
  const totalEntries = options.totalEntries ?? 60_000;
  const requests: FakeApolloRequest[] = [];
  const faults: FakeApolloFault[] = [];
  const enrichments = new Map<string, number>();
  let credits = 0;
  let minuteUsage = 0;

  const rateHeaders = () => {
    minuteUsage++;
    return {
      "x-rate-limit-minute": "200",
      "x-minute-usage": String(minuteUsage),
      "x-minute-requests-left": String(Math.max(0, 200 - minuteUsage)),
      "x-rate-limit-24-hour": "6000",
      "x-24-hour-usage": String(minuteUsage),
      "x-24-hour-requests-left": String(Math.max(0, 6000 - minuteUsage)),
    };
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    const text = request.method === "GET" ? "" : await request.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    const apiKey = request.headers.get("x-api-key");
    requests.push({ method: request.method, path, apiKey, body });

    const faultAt = faults.findIndex((f) => !f.path || f.path === path);
    if (faultAt >= 0) {
      const [fault] = faults.splice(faultAt, 1);
      if ("hangMs" in fault!) {
        await new Promise((resolve) => setTimeout(resolve, fault.hangMs));
        return json(200, {});
      }
      return new Response(fault!.body ?? "", { status: fault!.status, headers: fault!.headers });
    }

    if (!apiKey || !keys.has(apiKey))
      return new Response("Invalid access credentials.", { status: 401, headers: { "content-type": "text/plain" } });

    if (request.method === "GET" && path === "/auth/health") return json(200, { healthy: true, is_logged_in: true }, rateHeaders());

    if (request.method === "POST" && path === "/mixed_people/api_search") {
      if (!masterKeys.has(apiKey)) {
        return json(403, { error: "api/v1/mixed_people/api_search is not accessible with this api_key", error_code: "API_INACCESSIBLE" });
      }
      const page = Number(body?.page ?? url.searchParams.get("page") ?? 1);
      // Clamped silently, as reported of the live API.
      const perPage = Math.min(100, Number(body?.per_page ?? url.searchParams.get("per_page") ?? 10));
      const shown = Math.min(totalEntries, 50_000);
      const from = (page - 1) * perPage;
      const people =
        page > 500 ? [] : Array.from({ length: Math.max(0, Math.min(perPage, shown - from)) }, (_, i) => fakeSearchPerson(from + i));
      return json(200, { total_entries: totalEntries, people }, rateHeaders());
    }

    if (request.method === "POST" && path === "/people/bulk_match") {
      const details = Array.isArray(body?.details) ? (body.details as FakeMatchDetail[]) : [];
      if (details.length === 0 || details.length > 10) return json(422, { error: "details must hold between 1 and 10 people" });
      const matches = details.map((d) => {
        const n = fakeMatchIndex(d, totalEntries);
        if (n === undefined) return null;
        const person = fakeEnrichedPerson(n);
        enrichments.set(person.id, (enrichments.get(person.id) ?? 0) + 1);
        return person;
      });
      const found = matches.filter(Boolean).length;
      credits += found;
      return json(
        200,
        {
          status: "success",
          error_code: null,
          error_message: null,
          total_requested_enrichments: details.length,
          unique_enriched_records: found,
          missing_records: details.length - found,
          credits_consumed: found,
          matches,
        },
        rateHeaders(),
      );
    }
    return json(404, { error: `No route for ${request.method} ${url.pathname}` });
  }

  const served = await serveWebHandler(handle, options.port);
  return {
    url: `${served.url}${PREFIX}`,
    requests,
    fail: (...more) => faults.push(...more),
    reset: () => {
      requests.length = 0;
      faults.length = 0;
    },
    creditsCharged: () => credits,
    enrichments,
    close: served.close,
  };
}
