import "server-only";
import { env, type Env } from "@/lib/env";
import type { FailureLimit } from "./failure-limit";
import type { RequestLimit } from "./request-limit";

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/**
 * Password sign-in, modelled on GoTrue's "30 sign-ins per 5 minutes per IP". Only failures
 * count, so an office behind one address is not locked out by its own successful sign-ins;
 * a full window locks the IP out for 5 minutes, then 10, 20, 40, 60 within a day.
 */
export const PASSWORD_FAILURES_PER_IP: FailureLimit = {
  name: "password-ip",
  points: 30,
  durationSeconds: 5 * MINUTE,
  backOff: { firstLockSeconds: 5 * MINUTE, maxLockSeconds: HOUR, memorySeconds: 24 * HOUR },
};

/**
 * GoTrue has no per-account limit; we add one against guessing from many addresses: 10 wrong
 * passwords in 15 minutes lock the address (known or not, alike) for 15 minutes, then 30, 60.
 * A success forgives the failures so far.
 */
export const PASSWORD_FAILURES_PER_ACCOUNT: FailureLimit = {
  name: "password-account",
  points: 10,
  durationSeconds: 15 * MINUTE,
  backOff: { firstLockSeconds: 15 * MINUTE, maxLockSeconds: HOUR, memorySeconds: 24 * HOUR },
};

/**
 * GoTrue's 360 verifications per hour per IP with a burst of 30, as 30 per 5 minutes. Only
 * failed verifications count: a used or valid link is no guess.
 */
export const VERIFY_FAILURES_PER_IP: RequestLimit = { name: "verify-ip", points: 30, durationSeconds: 5 * MINUTE };

/** Sign-in and reset emails (GoTrue's RATE_LIMIT_EMAIL_SENT), every request counted. */
export function authEmailLimits(e: Env = env()): { global: RequestLimit; perIp: RequestLimit } {
  return {
    global: { name: "auth-email-all", points: e.RATE_LIMIT_EMAIL_SENT, durationSeconds: HOUR },
    perIp: { name: "auth-email-ip", points: e.RATE_LIMIT_EMAIL_SENT_PER_IP, durationSeconds: HOUR },
  };
}

/**
 * CSV uploads per person (across workspaces), every upload counted whatever its outcome: each
 * may write up to 300 MB of rows, and 20 an hour leaves room for fixing a file and uploading
 * it again many times over.
 */
export const IMPORT_UPLOADS_PER_USER: RequestLimit = { name: "import-upload-user", points: 20, durationSeconds: HOUR };

/** "Send a test to me" per person: each is a real email to their own address. */
export const CAMPAIGN_TEST_EMAILS_PER_USER: RequestLimit = { name: "campaign-test-email-user", points: 20, durationSeconds: HOUR };

/**
 * Resend webhook deliveries (app/api/webhooks/resend), counted per client IP before the
 * signature is checked. Resend (Svix) sends from a few addresses and retries whatever is
 * refused, so the limit only has to hold off a flood: 50 a second per address is well above a
 * large campaign's delivered/opened events, and an over-limit delivery comes again later.
 */
export const RESEND_WEBHOOKS_PER_IP: RequestLimit = { name: "resend-webhook-ip", points: 3000, durationSeconds: MINUTE };

/** Deliveries whose signature failed, per IP: a caller guessing signatures is refused for a while. */
export const RESEND_WEBHOOK_FAILURES_PER_IP: RequestLimit = { name: "resend-webhook-failures-ip", points: 30, durationSeconds: 5 * MINUTE };

/**
 * Unsubscribe links (GET and POST), per IP. Generous: RFC 8058 one-click POSTs come from the
 * mailbox provider's servers, so one address speaks for many recipients; this only bounds the
 * load one client can put on the database.
 */
export const UNSUBSCRIBE_REQUESTS_PER_IP: RequestLimit = { name: "unsubscribe-ip", points: 300, durationSeconds: MINUTE };

/**
 * Unsubscribe links that are no genuine token, per IP: tokens cannot be guessed (a 128-bit
 * HMAC), so a client that keeps sending forged ones is probing; it is refused for the rest of
 * the window, genuine links included.
 */
export const UNSUBSCRIBE_FORGERIES_PER_IP: RequestLimit = { name: "unsubscribe-forged-ip", points: 20, durationSeconds: 15 * MINUTE };

/** Instantly webhook deliveries per IP (Instantly sends a campaign's events in bursts). */
export const INSTANTLY_WEBHOOKS_PER_IP: RequestLimit = { name: "instantly-webhook-ip", points: 3000, durationSeconds: MINUTE };

/** Instantly deliveries with a wrong or missing secret, per IP: a caller guessing secrets is refused for a while. */
export const INSTANTLY_WEBHOOK_FAILURES_PER_IP: RequestLimit = {
  name: "instantly-webhook-failures-ip",
  points: 30,
  durationSeconds: 5 * MINUTE,
};
