import type { z } from "zod";
import { withoutSecrets } from "@/lib/integrations/http/without-secrets";
import { env } from "@/lib/env";
import { DEFAULT_RETRY_POLICY, fetchWithRetries, vendorMessage, type RetryPolicy } from "@/lib/integrations/http/fetch-with-retries";
import { VendorError } from "@/lib/integrations/http/vendor-error";
import { storableJson } from "@/lib/integrations/storable-json";

/**
 * The one module that speaks HTTP to PhantomBuster (DESIGN.md §3; vendors/apollo-phantombuster-
 * openai.md §2): its API v2 with the `X-Phantombuster-Key` header of the v2 spec, and the S3
 * bucket its agents write result files to, read WITHOUT the key (the files are addressed by
 * folder names; the key must never leave for another host). 429, 5xx and timeouts are retried
 * through fetch-with-retries; PhantomBuster documents no rate-limit headers, so Retry-After or
 * back-off. Launching is the only write: it is not retried on a 5xx or a timeout (a second
 * launch would run the agent twice, spending execution time).
 */
export type PhantomBusterClientConfig = {
  apiKey: string;
  /** Default PHANTOMBUSTER_API_URL. */
  baseUrl?: string;
  /** Default PHANTOMBUSTER_S3_URL. */
  s3Url?: string;
  /** The account is the app's own sandbox: what the client reads is sample data. */
  sandbox?: boolean;
  policy?: RetryPolicy;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
};

export type PhantomBusterEndpoint = { method: "GET" | "POST"; path: string; name: string };
export type PhantomBusterRequest = { query?: Record<string, string | number | boolean | undefined>; body?: unknown };

export type PhantomBusterClient = {
  readonly baseUrl: string;
  readonly s3Url: string;
  /** Talking to the app's own sandbox: what it reads is sample data (imports record it). */
  readonly sandbox: boolean;
  call<S extends z.ZodType>(endpoint: PhantomBusterEndpoint, request: PhantomBusterRequest, schema: S): Promise<z.output<S>>;
  /**
   * A result file by its path under the S3 base, as a stream (never read whole here); null when
   * S3 says it does not exist (403 AccessDenied, as S3 answers for a missing object, or 404).
   */
  download(path: string, what: string): Promise<Response | null>;
};

export const PHANTOMBUSTER = { id: "phantombuster", name: "PhantomBuster" } as const;

const USER_AGENT = "LeadIntelligencePanel/0.1 (self-hosted B2B outbound; PhantomBuster API v2 client)";

/** A result file may be large: the whole download shares one timeout with its body. */
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export function createPhantomBusterClient(config: PhantomBusterClientConfig): PhantomBusterClient {
  const baseUrl = (config.baseUrl ?? env().PHANTOMBUSTER_API_URL).replace(/\/+$/, "");
  const s3Url = (config.s3Url ?? env().PHANTOMBUSTER_S3_URL).replace(/\/+$/, "");
  const policy = config.policy ?? DEFAULT_RETRY_POLICY;
  const options = { vendor: PHANTOMBUSTER, fetch: config.fetch, sleep: config.sleep };

  return {
    baseUrl,
    s3Url,
    sandbox: config.sandbox ?? false,
    async call(endpoint, request, schema) {
      const url = new URL(`${baseUrl}${endpoint.path}`);
      for (const [name, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined) url.searchParams.set(name, String(value));
      }
      const init: RequestInit = {
        method: endpoint.method,
        headers: {
          "x-phantombuster-key": config.apiKey,
          accept: "application/json",
          "user-agent": USER_AGENT,
          ...(endpoint.method === "POST" ? { "content-type": "application/json" } : {}),
        },
        body: endpoint.method === "GET" ? undefined : JSON.stringify(request.body ?? {}),
      };
      // A POST is made once: after a 5xx or a timeout the agent may have launched all the same.
      const response = await fetchWithRetries(url.toString(), init, {
        ...options,
        policy: endpoint.method === "POST" ? { ...policy, retries: 0 } : policy,
      });
      const text = await response.text();
      if (!response.ok) throw refusal(endpoint, response.status, text);
      return parseAnswer(endpoint, text, schema);
    },
    async download(path, what) {
      const url = `${s3Url}/${path}`;
      const response = await fetchWithRetries(
        url,
        { method: "GET", headers: { "user-agent": USER_AGENT } },
        { ...options, policy: { ...policy, timeoutMs: DOWNLOAD_TIMEOUT_MS } },
      );
      if (response.status === 403 || response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok || !response.body) {
        const text = await response.text().catch(() => "");
        throw new VendorError(PHANTOMBUSTER.id, "rejected", `PhantomBuster's storage refused the ${what} (HTTP ${response.status}).`, {
          status: response.status,
          body: text.slice(0, 2000),
        });
      }
      return response;
    },
  };
}

function refusal(endpoint: PhantomBusterEndpoint, status: number, text: string): VendorError {
  const said = vendorMessage(text);
  if (status === 401 || status === 403) {
    return new VendorError(
      PHANTOMBUSTER.id,
      status === 401 ? "unauthorized" : "forbidden",
      `PhantomBuster refused the API key${said}. Copy the key from PhantomBuster (Workspace settings → API keys) and save it here.`,
      { status, body: text },
    );
  }
  if (status === 404) {
    return new VendorError(PHANTOMBUSTER.id, "rejected", `PhantomBuster does not know that ${endpoint.name}${said}.`, {
      status,
      body: text,
    });
  }
  return new VendorError(PHANTOMBUSTER.id, "rejected", `PhantomBuster refused the ${endpoint.name} request (HTTP ${status})${said}.`, {
    status,
    body: text,
  });
}

function parseAnswer<S extends z.ZodType>(endpoint: PhantomBusterEndpoint, text: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    // An empty 2xx body (the launch answer's documented form) is an object without fields.
    json = text.trim() === "" ? {} : storableJson(JSON.parse(text));
  } catch {
    throw new VendorError(
      PHANTOMBUSTER.id,
      "invalid_response",
      `PhantomBuster's ${endpoint.name} answer was not JSON; nothing was used from it.`,
      {
        body: text.slice(0, 2000),
      },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".") : "(the whole answer)";
    // The field, never the body: agents' answers carry their arguments (session cookies among them).
    console.warn(`[phantombuster] ${endpoint.method} ${endpoint.path}: unexpected answer at ${field}: ${issue?.message ?? "invalid"}`);
    throw new VendorError(
      PHANTOMBUSTER.id,
      "invalid_response",
      `PhantomBuster's ${endpoint.name} answer did not have the expected shape at ${field} (${issue?.message ?? "invalid"}); nothing was used from it.`,
      // Kept for the admin (integration_invalid_answers) without the agents' session cookies.
      { body: withoutSecrets(json) },
    );
  }
  return parsed.data;
}
