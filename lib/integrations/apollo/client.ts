import type { z } from "zod";
import { env } from "@/lib/env";
import { DEFAULT_RETRY_POLICY, fetchWithRetries, vendorMessage, type RetryPolicy } from "@/lib/integrations/http/fetch-with-retries";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { adviseOnApolloRateLimit, readApolloRateLimit, type ApolloRateLimit } from "./rate-limit";
import { storableJson } from "@/lib/integrations/storable-json";

/**
 * The one module that speaks HTTP to Apollo (DESIGN.md §3). Authenticates with `x-api-key`
 * (a key sent as a Bearer token gets 401: Bearer is for OAuth tokens), sends JSON, identifies
 * itself, retries what passes (lib/integrations/http/fetch-with-retries.ts) and turns Apollo's
 * refusals into messages an admin can act on.
 */
export type ApolloClientConfig = {
  apiKey: string;
  /** Defaults to APOLLO_API_URL. */
  baseUrl?: string;
  policy?: RetryPolicy;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Told how every call went (after its retries): what records the account's last successful
   * call or its failure, and keeps a malformed answer (lib/integrations/accounts/record-outcome.ts).
   */
  onOutcome?: (endpoint: ApolloEndpoint, error?: VendorError) => Promise<void>;
};

export type ApolloClient = {
  readonly baseUrl: string;
  /** The rate-limit headers of the latest answer: what a job reads to pace itself. */
  readonly rateLimit: ApolloRateLimit | undefined;
  call<S extends z.ZodType>(endpoint: ApolloEndpoint, body: unknown, schema: S): Promise<z.output<S>>;
};

/** An endpoint, and what a key needs to use it: named in the refusal when it lacks it. */
export type ApolloEndpoint = { method: "GET" | "POST"; path: string; name: string; needs: string };

export const APOLLO = { id: "apollo", name: "Apollo" } as const;

const USER_AGENT = "LeadIntelligencePanel/0.1 (self-hosted B2B outbound; Apollo API client)";

export function createApolloClient(config: ApolloClientConfig): ApolloClient {
  const baseUrl = (config.baseUrl ?? env().APOLLO_API_URL).replace(/\/+$/, "");
  let rateLimit: ApolloRateLimit | undefined;
  return {
    baseUrl,
    get rateLimit() {
      return rateLimit;
    },
    async call(endpoint, body, schema) {
      let answer;
      try {
        answer = await request(endpoint, body, schema);
      } catch (error) {
        if (error instanceof VendorError) await config.onOutcome?.(endpoint, error);
        throw error;
      }
      await config.onOutcome?.(endpoint);
      return answer;
    },
  };

  async function request<S extends z.ZodType>(endpoint: ApolloEndpoint, body: unknown, schema: S): Promise<z.output<S>> {
    const response = await fetchWithRetries(
      `${baseUrl}${endpoint.path}`,
      {
        method: endpoint.method,
        headers: {
          "x-api-key": config.apiKey,
          "content-type": "application/json",
          "cache-control": "no-cache",
          accept: "application/json",
          "user-agent": USER_AGENT,
        },
        body: endpoint.method === "GET" ? undefined : JSON.stringify(body ?? {}),
      },
      {
        vendor: APOLLO,
        policy: config.policy ?? DEFAULT_RETRY_POLICY,
        fetch: config.fetch,
        sleep: config.sleep,
        adviseOnRateLimit: (res, text) => adviseOnApolloRateLimit(res, text),
      },
    );
    rateLimit = readApolloRateLimit(response.headers);
    const text = await response.text();
    if (!response.ok) throw refusal(endpoint, response.status, text);
    return parseAnswer(endpoint, text, schema);
  }
}

function refusal(endpoint: ApolloEndpoint, status: number, text: string): VendorError {
  const said = vendorMessage(text);
  if (status === 401) {
    return new VendorError(
      APOLLO.id,
      "unauthorized",
      `Apollo refused the API key${said}. Copy the key again from Apollo (Settings → Integrations → API keys) and save it here.`,
      { status, body: text },
    );
  }
  if (status === 403) {
    return new VendorError(
      APOLLO.id,
      "forbidden",
      `This Apollo API key may not use ${endpoint.name}${said}: ${endpoint.needs} Change the key's access in Apollo (Settings → Integrations → API keys), then enter it here again.`,
      { status, body: text },
    );
  }
  return new VendorError(APOLLO.id, "rejected", `Apollo refused the ${endpoint.name} request (HTTP ${status})${said}.`, {
    status,
    body: text,
  });
}

function parseAnswer<S extends z.ZodType>(endpoint: ApolloEndpoint, text: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = storableJson(JSON.parse(text));
  } catch {
    throw new VendorError(APOLLO.id, "invalid_response", `Apollo's ${endpoint.name} answer was not JSON; nothing was saved from it.`, {
      body: text,
      field: "(the whole answer)",
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".") : "(the whole answer)";
    // The field, never the body: an answer is full of people's details.
    console.warn(`[apollo] ${endpoint.method} ${endpoint.path}: unexpected answer at ${field}: ${issue?.message ?? "invalid"}`);
    throw new VendorError(
      APOLLO.id,
      "invalid_response",
      `Apollo's ${endpoint.name} answer did not have the expected shape at ${field} (${issue?.message ?? "invalid"}); nothing was saved from it.`,
      { body: json, field },
    );
  }
  return parsed.data;
}
