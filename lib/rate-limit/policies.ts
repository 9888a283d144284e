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
 * it again many times over. PhantomBuster result imports count here too.
 */
export function importUploadsPerUser(e: Env = env()): RequestLimit {
  return { name: "import-upload-user", points: e.RATE_LIMIT_UPLOADS_PER_HOUR, durationSeconds: HOUR };
}

/**
 * Invitation emails per person who invites, in every workspace together: each goes to someone
 * who never asked for it, from the app's own sending domain, and any signed-in person can start
 * a workspace of their own to invite from. Fifty an hour lets an admin bring a whole team in.
 */
export function invitationEmailsPerUser(e: Env = env()): RequestLimit {
  return { name: "invitation-email-user", points: e.RATE_LIMIT_INVITATIONS_PER_HOUR, durationSeconds: HOUR };
}

/** "Send a test to me" per person: each is a real email to their own address. */
export const CAMPAIGN_TEST_EMAILS_PER_USER: RequestLimit = { name: "campaign-test-email-user", points: 20, durationSeconds: HOUR };

/**
 * Webhook deliveries (app/api/webhooks/resend, app/api/webhooks/instantly), counted per client
 * IP and provider before the signature is checked. Resend (Svix) sends from a few addresses and
 * Instantly a campaign's events in bursts, and both retry whatever is refused, so the limit only
 * has to hold off a flood: 50 a second per address is well above a large campaign's events, and
 * an over-limit delivery comes again later.
 */
export function webhooksPerIp(provider: "resend" | "instantly", e: Env = env()): RequestLimit {
  return {
    name: `${provider}-webhook-ip`,
    points: e.RATE_LIMIT_WEBHOOKS_PER_MINUTE,
    durationSeconds: MINUTE,
  };
}

/** Deliveries whose signature failed, per IP: a caller guessing signatures is refused for a while. */
export const RESEND_WEBHOOK_FAILURES_PER_IP: RequestLimit = { name: "resend-webhook-failures-ip", points: 30, durationSeconds: 5 * MINUTE };

/**
 * Unsubscribe links (GET and POST), per IP. Generous: RFC 8058 one-click POSTs come from the
 * mailbox provider's servers, so one address speaks for many recipients; this only bounds the
 * load one client can put on the database.
 */
export function unsubscribeRequestsPerIp(e: Env = env()): RequestLimit {
  return { name: "unsubscribe-ip", points: e.RATE_LIMIT_UNSUBSCRIBE_PER_MINUTE, durationSeconds: MINUTE };
}

/**
 * Unsubscribe links that are no genuine token, per IP: tokens cannot be guessed (a 128-bit
 * HMAC), so a client that keeps sending forged ones is probing; it is refused for the rest of
 * the window, genuine links included.
 */
export const UNSUBSCRIBE_FORGERIES_PER_IP: RequestLimit = { name: "unsubscribe-forged-ip", points: 20, durationSeconds: 15 * MINUTE };

/** Instantly deliveries with a wrong or missing secret, per IP: a caller guessing secrets is refused for a while. */
export const INSTANTLY_WEBHOOK_FAILURES_PER_IP: RequestLimit = {
  name: "instantly-webhook-failures-ip",
  points: 30,
  durationSeconds: 5 * MINUTE,
};

/**
 * Every server action, per person (lib/actions/execute-action.ts), and the progress routes
 * pages poll: 600 a minute is ten a second for a minute, beyond anyone clicking, and a page
 * polling a progress every 700 ms uses 86 of them.
 */
export function actionsPerUser(e: Env = env()): RequestLimit {
  return { name: "actions-user", points: e.RATE_LIMIT_ACTIONS_PER_MINUTE, durationSeconds: MINUTE };
}

/** Actions before sign-in (signing in, accepting an invitation), per client IP; they have their own limits besides. */
export function actionsPerIp(e: Env = env()): RequestLimit {
  return { name: "actions-ip", points: e.RATE_LIMIT_ACTIONS_PER_MINUTE, durationSeconds: MINUTE };
}

/**
 * What a workspace, all its members together, may do within a window:
 *  - `uploads`: CSV files uploaded (and suppression lists imported);
 *  - `exports`: CSV downloads of leads, the suppression list, an import's problem rows or an
 *    analytics table, each a full read of what it exports;
 *  - `vendor-calls`: calls to a vendor the person waits for (an Apollo search or estimate, a
 *    key checked), which spend the team's vendor allowance (Apollo's search: 600 an hour);
 *  - `vendor-runs`: background runs that call a vendor many times or spend credits (Apollo
 *    imports and enrichment, Instantly syncs, PhantomBuster imports and launches, AI enrichment);
 *  - `campaign-changes`: campaigns launched, paused, resumed or stopped, each of which starts
 *    work (enrolling and sending, or pushing to and mirroring in Instantly); apart from
 *    vendor-runs so that a busy day of imports never keeps an admin from pausing a campaign;
 *  - `job-replays`: runs replayed or retried from the Jobs page, each running its steps (and
 *    their vendor calls) again.
 */
export type WorkspaceLimitKind = "uploads" | "exports" | "vendor-calls" | "vendor-runs" | "campaign-changes" | "job-replays";

export function workspaceLimit(kind: WorkspaceLimitKind, e: Env = env()): RequestLimit {
  switch (kind) {
    case "uploads": {
      const points = e.RATE_LIMIT_WORKSPACE_UPLOADS_PER_HOUR;
      const refusal = `This workspace has uploaded ${points} files within the last hour, the most allowed`;
      return { name: "workspace-uploads", points, durationSeconds: HOUR, refusal };
    }
    case "exports": {
      const points = e.RATE_LIMIT_EXPORTS_PER_HOUR;
      const refusal = `This workspace has exported ${points} files within the last hour, the most allowed`;
      return { name: "workspace-exports", points, durationSeconds: HOUR, refusal };
    }
    case "vendor-calls": {
      const points = e.RATE_LIMIT_VENDOR_CALLS_PER_MINUTE;
      const refusal = `This workspace has asked Apollo, Instantly or PhantomBuster ${points} times within the last minute, the most allowed`;
      return { name: "workspace-vendor-calls", points, durationSeconds: MINUTE, refusal };
    }
    case "vendor-runs": {
      const points = e.RATE_LIMIT_VENDOR_RUNS_PER_HOUR;
      const refusal = `This workspace has started ${points} imports, enrichments or syncs within the last hour, the most allowed`;
      return { name: "workspace-vendor-runs", points, durationSeconds: HOUR, refusal };
    }
    case "campaign-changes": {
      const points = e.RATE_LIMIT_CAMPAIGN_CHANGES_PER_HOUR;
      const refusal = `This workspace has launched, paused, resumed or stopped campaigns ${points} times within the last hour, the most allowed`;
      return { name: "workspace-campaign-changes", points, durationSeconds: HOUR, refusal };
    }
    case "job-replays": {
      const points = e.RATE_LIMIT_JOB_REPLAYS_PER_HOUR;
      const refusal = `This workspace has replayed or retried ${points} runs within the last hour, the most allowed`;
      return { name: "workspace-job-replays", points, durationSeconds: HOUR, refusal };
    }
  }
}

/**
 * Live-update event streams opened per person, reconnects included: a few tabs reconnecting
 * with back-off stay far below it; a client reconnecting in a loop does not.
 */
export function eventStreamsPerUser(e: Env = env()): RequestLimit {
  return {
    name: "event-streams-user",
    points: e.RATE_LIMIT_EVENT_STREAMS_PER_MINUTE,
    durationSeconds: MINUTE,
    refusal: "Too many live-update connections",
  };
}
