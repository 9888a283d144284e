import { backoffMs, retryAfterMs } from "./retry-after";
import { VendorError } from "./vendor-error";

export type RetryPolicy = {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * The longest wait honoured inside one call. A vendor asking for more (an hourly limit) gets a
   * `rate_limited` error carrying the wait, for a job to sleep through durably instead.
   */
  maxRetryAfterMs: number;
  timeoutMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 20_000,
};

/**
 * For a person waiting on a page, whose request holds a database transaction: a few seconds of
 * waiting at most. A vendor asking for longer (its minute's limit is used up) is answered at
 * once with its words and when to try again, instead of holding the page, and the connection,
 * for minutes as a job's patience would.
 */
export const INTERACTIVE_RETRY_POLICY: RetryPolicy = {
  retries: 2,
  baseDelayMs: 300,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 5_000,
  timeoutMs: 15_000,
};

/** What a vendor's 429 says about waiting, beyond Retry-After: its own headers, or "stop now". */
export type RateLimitAdvice = { waitMs?: number; giveUp?: string };

export type FetchWithRetriesOptions = {
  /** The vendor's id (as in integration_accounts) and its name as people know it, for messages. */
  vendor: { id: string; name: string };
  policy: RetryPolicy;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  adviseOnRateLimit?: (response: Response, body: string) => RateLimitAdvice;
};

const RETRIED_STATUSES = new Set([500, 502, 503, 504]);

export const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One vendor request with the failures that pass retried: 429 (after Retry-After, else the
 * vendor's advice, else back-off), 5xx and timeouts/network errors (back-off). Returns the
 * first response that is neither; throws a VendorError when the retries run out.
 */
export async function fetchWithRetries(url: string, init: RequestInit, options: FetchWithRetriesOptions): Promise<Response> {
  const { policy } = options;
  const { id: vendorId, name: vendor } = options.vendor;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? sleepMs;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= policy.retries;
    let response: Response;
    try {
      response = await doFetch(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
    } catch (error) {
      if (last) throw unreachable(options.vendor, url, error, attempt + 1);
      await sleep(backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs));
      continue;
    }

    if (response.status === 429) {
      const text = await response.text().catch(() => "");
      const advice = options.adviseOnRateLimit?.(response, text) ?? {};
      const wait = retryAfterMs(response.headers.get("retry-after")) ?? advice.waitMs;
      if (advice.giveUp || last || (wait !== undefined && wait > policy.maxRetryAfterMs)) {
        const reason = advice.giveUp ?? `${vendor} kept answering "too many requests" after ${attempt + 1} attempts.`;
        throw new VendorError(vendorId, "rate_limited", `${reason}${vendorMessage(text)}`, {
          status: 429,
          retryAfterMs: wait,
          body: text,
        });
      }
      await sleep(wait ?? backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs));
      continue;
    }

    if (RETRIED_STATUSES.has(response.status)) {
      const text = await response.text().catch(() => "");
      if (last) {
        throw new VendorError(
          vendorId,
          "unavailable",
          `${vendor} is not answering properly (HTTP ${response.status} on ${attempt + 1} attempts). Nothing was lost; try again later.`,
          { status: response.status, body: text },
        );
      }
      await sleep(backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs));
      continue;
    }
    return response;
  }
}

function unreachable(vendor: { id: string; name: string }, url: string, error: unknown, attempts: number): VendorError {
  const timedOut = error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
  const { origin } = new URL(url);
  const why = timedOut ? "did not answer in time" : "could not be reached";
  return new VendorError(
    vendor.id,
    "unavailable",
    `${vendor.name} (${origin}) ${why} on ${attempts} attempts. Nothing was lost; try again later.`,
  );
}

/** The vendor's own words, trimmed, when it gave some: `{"message": …}`, `{"error": …}` or text. */
export function vendorMessage(text: string): string {
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const found = typeof body.message === "string" ? body.message : typeof body.error === "string" ? body.error : undefined;
    if (found) message = found;
  } catch {
    // Plain text (Apollo's 401 is text/plain).
  }
  if (!message || message.startsWith("<")) return "";
  return ` ${vendorQuote(message)}`;
}

const vendorQuote = (message: string) => `(“${message.length > 300 ? `${message.slice(0, 300)}…` : message}”)`;
