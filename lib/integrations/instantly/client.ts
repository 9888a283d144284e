import type { z } from "zod";
import { env } from "@/lib/env";
import {
  DEFAULT_RETRY_POLICY,
  fetchWithRetries,
  sleepMs,
  vendorMessage,
  type RateLimitAdvice,
  type RetryPolicy,
} from "@/lib/integrations/http/fetch-with-retries";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { storableJson } from "@/lib/integrations/storable-json";

/**
 * The one module that speaks HTTP to Instantly's API v2 (DESIGN.md §3; vendors/instantly-resend.md
 * part 1). Bearer auth, JSON, a descriptive User-Agent (the API sits behind Cloudflare, which
 * blocks default agents), 429/5xx/timeouts retried through fetch-with-retries, and Instantly's
 * refusals turned into messages an admin can act on. Instantly has no idempotency keys: a
 * write that is not safe to repeat (creating a campaign) is marked `once` and never retried
 * here — its caller looks for what it may have created before asking again.
 */
export type InstantlyClientConfig = {
  apiKey: string;
  /** Defaults to INSTANTLY_API_URL. */
  baseUrl?: string;
  policy?: RetryPolicy;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

/** An endpoint, and the key scope it needs: named in the refusal when the key lacks it. */
export type InstantlyEndpoint = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  name: string;
  scope: string;
  /** The endpoint's own limit, tighter than the workspace's (GET /emails: 20 a minute). */
  minIntervalMs?: number;
  /** Not safe to send twice (no idempotency key): made once, never retried by the client. */
  once?: boolean;
};

export type InstantlyRequest = { query?: Record<string, string | number | boolean | undefined>; body?: unknown };

export type InstantlyClient = {
  readonly baseUrl: string;
  call<S extends z.ZodType>(endpoint: InstantlyEndpoint, request: InstantlyRequest, schema: S): Promise<z.output<S>>;
  /** Requests made by this client (each retry counted): what a sync reports. */
  readonly requestCount: number;
};

export const INSTANTLY = { id: "instantly", name: "Instantly" } as const;

const USER_AGENT = "LeadIntelligencePanel/0.1 (self-hosted B2B outbound; Instantly API v2 client)";

export function createInstantlyClient(config: InstantlyClientConfig): InstantlyClient {
  const baseUrl = (config.baseUrl ?? env().INSTANTLY_API_URL).replace(/\/+$/, "");
  const sleep = config.sleep ?? sleepMs;
  const now = config.now ?? Date.now;
  const doFetch = config.fetch ?? fetch;
  const lastCallAt = new Map<string, number>();
  let requestCount = 0;
  const countingFetch: typeof fetch = (input, init) => {
    requestCount++;
    return doFetch(input, init);
  };

  return {
    baseUrl,
    get requestCount() {
      return requestCount;
    },
    async call(endpoint, request, schema) {
      if (endpoint.minIntervalMs) {
        const last = lastCallAt.get(endpoint.path);
        const wait = last === undefined ? 0 : last + endpoint.minIntervalMs - now();
        if (wait > 0) await sleep(wait);
        lastCallAt.set(endpoint.path, now());
      }
      const url = new URL(`${baseUrl}${endpoint.path}`);
      for (const [name, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined) url.searchParams.set(name, String(value));
      }
      const response = await fetchWithRetries(
        url.toString(),
        {
          method: endpoint.method,
          headers: {
            authorization: `Bearer ${config.apiKey}`,
            accept: "application/json",
            "user-agent": USER_AGENT,
            ...(endpoint.method !== "GET" ? { "content-type": "application/json" } : {}),
          },
          body: endpoint.method === "GET" ? undefined : JSON.stringify(request.body ?? {}),
        },
        {
          vendor: INSTANTLY,
          policy: endpoint.once ? { ...(config.policy ?? DEFAULT_RETRY_POLICY), retries: 0 } : (config.policy ?? DEFAULT_RETRY_POLICY),
          fetch: countingFetch,
          sleep,
          adviseOnRateLimit: adviseOnInstantlyRateLimit,
        },
      );
      const text = await response.text();
      if (!response.ok) throw refusal(endpoint, response.status, text);
      return parseAnswer(endpoint, text, schema);
    },
  };
}

/**
 * Instantly documents its limits (100 requests a second and 6,000 a minute per workspace) but
 * not the headers of its 429s. Retry-After is read first (fetch-with-retries); failing that,
 * the IETF draft's `ratelimit-reset` (seconds) when sent; else back-off.
 */
export function adviseOnInstantlyRateLimit(response: Response): RateLimitAdvice {
  const reset = response.headers.get("ratelimit-reset");
  return /^\d+(\.\d+)?$/.test(reset?.trim() ?? "") ? { waitMs: Math.round(Number(reset) * 1000) } : {};
}

function refusal(endpoint: InstantlyEndpoint, status: number, text: string): VendorError {
  const said = vendorMessage(text);
  const where = "Instantly (Settings → Integrations → API Keys)";
  if (status === 401) {
    return new VendorError(
      INSTANTLY.id,
      "unauthorized",
      `Instantly refused the API key${said}. Create or copy an API v2 key in ${where} and save it here (v1 keys do not work).`,
      { status, body: text },
    );
  }
  if (status === 402) {
    return new VendorError(
      INSTANTLY.id,
      "forbidden",
      `Instantly refused the ${endpoint.name}: the workspace has no active paid plan${said}. The API needs a paid Instantly plan.`,
      { status, body: text },
    );
  }
  if (status === 403) {
    return new VendorError(
      INSTANTLY.id,
      "forbidden",
      `This Instantly API key may not use the ${endpoint.name}${said}: it needs the scope ${endpoint.scope} (or ${allScopeFor(endpoint.scope)}). Give the key that scope in ${where}, then enter it here again.`,
      { status, body: text },
    );
  }
  return new VendorError(INSTANTLY.id, "rejected", `Instantly refused the ${endpoint.name} request (HTTP ${status})${said}.`, {
    status,
    body: text,
  });
}

/** The `all:<action>` scope that also grants `scope` (`campaigns:create` → `all:create`). */
function allScopeFor(scope: string): string {
  return `all:${scope.split(":")[1] ?? "read"}`;
}

function parseAnswer<S extends z.ZodType>(endpoint: InstantlyEndpoint, text: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = storableJson(JSON.parse(text));
  } catch {
    throw new VendorError(
      INSTANTLY.id,
      "invalid_response",
      `Instantly's ${endpoint.name} answer was not JSON; nothing was saved from it.`,
      { body: text, field: "(not JSON)" },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".") : "(the whole answer)";
    // The field, never the body: an answer is full of people's details.
    console.warn(`[instantly] ${endpoint.method} ${endpoint.path}: unexpected answer at ${field}: ${issue?.message ?? "invalid"}`);
    throw new VendorError(
      INSTANTLY.id,
      "invalid_response",
      `Instantly's ${endpoint.name} answer did not have the expected shape at ${field} (${issue?.message ?? "invalid"}); nothing was saved from it.`,
      { body: json, field },
    );
  }
  return parsed.data;
}
