import "server-only";
import { z } from "zod";
import { env, integrationsSandboxEnabled } from "@/lib/env";
import { isSandboxKey } from "@/lib/integrations/sandbox/sandbox-key";
import { samplePerson, SANDBOX_POPULATION, sandboxMatch, searchRecordOf, type SamplePerson } from "./sample-people";
import { readBodyCapped } from "@/lib/security/read-body-capped";

/**
 * The Apollo sandbox (DESIGN.md §4): the subset of Apollo's API the client calls, in Apollo's
 * shapes, over the sample population, so the same client code runs with its base URL pointed
 * here. Answers only a sandbox key this server minted (401 as Apollo words it otherwise), and
 * nothing at all (404) where the sandbox is off: in production unless enabled.
 */
const MAX_BODY = 64 * 1024;

const strings = z.array(z.string().max(200)).max(1000).optional();
const ZSearch = z.object({
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).default(10),
  person_titles: strings,
  person_seniorities: strings,
  person_locations: strings,
  q_organization_domains_list: strings,
  organization_num_employees_ranges: strings,
  q_keywords: z.string().max(200).optional(),
});
const ZBulkMatch = z
  .object({
    details: z
      .array(
        z
          .object({
            id: z.string().max(64).optional(),
            email: z.string().max(320).optional(),
            linkedin_url: z.string().max(500).optional(),
            first_name: z.string().max(200).optional(),
            last_name: z.string().max(200).optional(),
            domain: z.string().max(253).optional(),
            organization_name: z.string().max(300).optional(),
          })
          .loose(),
      )
      .min(1)
      .max(10),
  })
  .loose();

const json = (status: number, body: unknown) => Response.json(body, { status, headers: RATE_HEADERS });
const RATE_HEADERS = {
  "x-rate-limit-minute": "200",
  "x-minute-requests-left": "199",
  "x-rate-limit-24-hour": "6000",
  "x-24-hour-requests-left": "5999",
};

export async function handleApolloSandboxRequest(request: Request, pathname: string): Promise<Response> {
  const e = env();
  if (!integrationsSandboxEnabled(e)) return new Response("Not Found", { status: 404 });
  if (!isSandboxKey(request.headers.get("x-api-key"), "apollo", e.ENCRYPTION_KEY)) {
    return new Response("Invalid access credentials.", { status: 401, headers: { "content-type": "text/plain" } });
  }
  const path = pathname.replace(/^\/api\/v1(?=\/)/, "");
  if (request.method === "GET" && path === "/auth/health") return json(200, { healthy: true, is_logged_in: true, sample_data: true });
  if (request.method !== "POST") return json(404, { error: `No route for ${request.method} ${pathname}` });

  const text = await readBodyCapped(request, MAX_BODY);
  if (text === null) return json(422, { error: "The request body is too large." });
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : Object.fromEntries(queryParams(new URL(request.url)));
  } catch {
    return json(422, { error: "Invalid parameters" });
  }

  if (path === "/mixed_people/api_search") {
    const parsed = ZSearch.safeParse(body);
    if (!parsed.success) return json(422, { error: "Invalid parameters" });
    const q = parsed.data;
    const perPage = Math.min(100, q.per_page);
    const matching = population().filter((p) => matches(p, q));
    const from = (q.page - 1) * perPage;
    const people = q.page > 500 ? [] : matching.slice(from, from + perPage).map(searchRecordOf);
    return json(200, { total_entries: matching.length, people });
  }

  if (path === "/people/bulk_match") {
    const parsed = ZBulkMatch.safeParse(body);
    if (!parsed.success) return json(422, { error: "details must hold between 1 and 10 people" });
    const matches = parsed.data.details.map((d) => sandboxMatch(d));
    const found = matches.filter(Boolean).length;
    return json(200, {
      status: "success",
      error_code: null,
      error_message: null,
      total_requested_enrichments: matches.length,
      unique_enriched_records: found,
      missing_records: matches.length - found,
      // Sample credits: what Apollo would have charged, for the estimate and the accounting to show.
      credits_consumed: found,
      matches,
      sample_data: true,
    });
  }
  return json(404, { error: `No route for ${request.method} ${pathname}` });
}

/** Apollo documents `person_titles[]=…` query parameters; clients mostly send JSON. Both work. */
function queryParams(url: URL): [string, unknown][] {
  const out = new Map<string, unknown>();
  for (const [key, value] of url.searchParams) {
    if (key.endsWith("[]")) {
      const name = key.slice(0, -2);
      out.set(name, [...((out.get(name) as string[] | undefined) ?? []), value]);
    } else out.set(key, value);
  }
  return [...out];
}

let cached: SamplePerson[] | undefined;
const population = () => (cached ??= Array.from({ length: SANDBOX_POPULATION }, (_, n) => samplePerson(n)));

const has = (haystack: string, needles: string[] | undefined) =>
  !needles?.length || needles.some((n) => haystack.toLowerCase().includes(n.trim().toLowerCase()));

function matches(p: SamplePerson, q: z.infer<typeof ZSearch>): boolean {
  if (!has(p.title, q.person_titles)) return false;
  if (q.person_seniorities?.length && !q.person_seniorities.includes(p.seniority)) return false;
  if (!has(`${p.company.city}, ${p.company.country}`, q.person_locations)) return false;
  if (q.q_organization_domains_list?.length && !q.q_organization_domains_list.map((d) => d.toLowerCase()).includes(p.company.domain))
    return false;
  if (q.organization_num_employees_ranges?.length) {
    const inRange = q.organization_num_employees_ranges.some((r) => {
      const [min, max] = r.split(",").map(Number);
      return p.company.employees >= (min ?? 0) && p.company.employees <= (max ?? Infinity);
    });
    if (!inRange) return false;
  }
  return has(`${p.first} ${p.last} ${p.title} ${p.company.name}`, q.q_keywords ? [q.q_keywords] : undefined);
}
