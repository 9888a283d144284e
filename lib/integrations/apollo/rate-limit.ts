import type { RateLimitAdvice } from "@/lib/integrations/http/fetch-with-retries";

/**
 * Apollo's rate-limit headers (vendors/apollo…md §1.8): fixed windows per endpoint, per minute,
 * hour and day. The day window is spelt two ways (`daily` in the legacy docs, `24-hour` in
 * current clients): both are read.
 */
export type ApolloWindow = { limit?: number; used?: number; left?: number };
export type ApolloRateLimit = { minute: ApolloWindow; hour: ApolloWindow; day: ApolloWindow };

const number = (headers: Headers, ...names: string[]) => {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  }
  return undefined;
};

export function readApolloRateLimit(headers: Headers): ApolloRateLimit {
  return {
    minute: {
      limit: number(headers, "x-rate-limit-minute"),
      used: number(headers, "x-minute-usage"),
      left: number(headers, "x-minute-requests-left"),
    },
    hour: {
      limit: number(headers, "x-rate-limit-hourly"),
      used: number(headers, "x-hourly-usage"),
      left: number(headers, "x-hourly-requests-left"),
    },
    day: {
      limit: number(headers, "x-rate-limit-24-hour", "x-rate-limit-daily"),
      used: number(headers, "x-24-hour-usage", "x-daily-usage"),
      left: number(headers, "x-24-hour-requests-left", "x-daily-requests-left"),
    },
  };
}

const MINUTE = 60_000;

/**
 * What to do on a 429 without Retry-After (Apollo does not document one). An exhausted day or
 * hour is not waited out inside a request: the caller (a job) retries later. An exhausted
 * minute is waited out to the next minute boundary, plus a second of slack for clock skew, at
 * most a minute (a fixed window is never longer).
 * Without headers, the 429 body names the window ("… is 600 times per hour").
 */
export function adviseOnApolloRateLimit(response: Response, body: string, now: number = Date.now()): RateLimitAdvice {
  const limits = readApolloRateLimit(response.headers);
  const named = /times per (minute|hour|day)/i.exec(body)?.[1]?.toLowerCase();
  if (limits.day.left === 0 || (named === "day" && limits.day.left === undefined)) {
    return { giveUp: `Apollo's daily limit for this call is used up${of(limits.day)}. It resets within a day.` };
  }
  if (limits.hour.left === 0 || (named === "hour" && limits.hour.left === undefined)) {
    return { giveUp: `Apollo's hourly limit for this call is used up${of(limits.hour)}. It resets within the hour.` };
  }
  // At most a minute: within the first second of a minute, boundary plus slack came to more, past
  // what a call waits (maxRetryAfterMs), and a 429 then gave up instead of waiting.
  if (limits.minute.left === 0 || named === "minute") return { waitMs: Math.min(MINUTE, MINUTE - (now % MINUTE) + 1_000) };
  return {};
}

const of = (w: ApolloWindow) => (w.limit ? ` (${w.limit} calls)` : "");

/**
 * How long a job sleeps before its next call, from the headers of the last answer: Apollo's
 * windows are fixed, so a used-up one means waiting for the next (0 while calls are left).
 */
export function apolloWindowWait(rate: ApolloRateLimit | undefined): number {
  if (!rate) return 0;
  if (rate.day.left === 0) return 24 * 60 * MINUTE;
  if (rate.hour.left === 0) return 60 * MINUTE;
  if (rate.minute.left === 0) return MINUTE;
  return 0;
}

/** After a 429 a call gave up on: the wait it asked for, else the window its message names. */
export function apolloLimitWait(message: string, retryAfterMs: number | undefined): number {
  if (retryAfterMs && retryAfterMs > 0) return retryAfterMs;
  if (/daily|day/i.test(message)) return 24 * 60 * MINUTE;
  if (/hourly|hour/i.test(message)) return 60 * MINUTE;
  return MINUTE;
}
