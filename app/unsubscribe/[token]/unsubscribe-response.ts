import "server-only";
import { serviceDb } from "@/db";
import { UNSUBSCRIBE_PAGE_HEADERS } from "@/lib/security/headers";
import { TEST_UNSUBSCRIBE_TOKEN, verifyUnsubscribeToken, type UnsubscribeSubject } from "@/lib/campaigns/unsubscribe-token";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { UNSUBSCRIBE_FORGERIES_PER_IP, unsubscribeRequestsPerIp } from "@/lib/rate-limit/policies";
import { RateLimitedError } from "@/lib/rate-limit/rate-limited";
import { consumeRequest, countRequest, secondsUntilAllowed, type RequestLimit } from "@/lib/rate-limit/request-limit";
import { readBodyCapped } from "@/lib/security/read-body-capped";
import { readUnsubscribe, undoUnsubscribe, unsubscribeLead } from "@/lib/suppressions/unsubscribe-lead";
import { renderUnsubscribePage, statusOf, type UnsubscribePage } from "./unsubscribe-page";

export type UnsubscribeLimits = { requests: RequestLimit; forgeries: RequestLimit };
/** The limits in force (RATE_LIMIT_UNSUBSCRIBE_PER_MINUTE read at each request). */
const defaultLimits = (): UnsubscribeLimits => ({ requests: unsubscribeRequestsPerIp(), forgeries: UNSUBSCRIBE_FORGERIES_PER_IP });

/** A one-click body is 26 bytes; the page's form sends less. Anything near this is not ours. */
export const MAX_BODY_BYTES = 2048;

/**
 * /unsubscribe/<token> (DESIGN.md §7.5, §11). GET shows the page and changes nothing: mail
 * scanners and link previews open every link. POST is RFC 8058's one-click (body
 * `List-Unsubscribe=One-Click`, sent by the mailbox provider with no cookies) or the page's own
 * form (`intent=unsubscribe` or `intent=undo`); it takes effect at once. No session is read:
 * the token alone says who. Forged, altered and the editor's test tokens get a page that says
 * so and change nothing; per-IP limits bound the load and stop probing.
 */
export async function unsubscribeResponse(
  request: Request,
  rawToken: string,
  limits: UnsubscribeLimits = defaultLimits(),
): Promise<Response> {
  const ip = clientIpFromHeaders(request.headers);
  try {
    await consumeRequest(limits.requests, ip);
  } catch (error) {
    if (error instanceof RateLimitedError) return page({ kind: "rate_limited", retryAfterSeconds: error.retryAfterSeconds });
    throw error;
  }
  // The token is checked first (an HMAC: cheap), and the forgery lock holds back only forged
  // tokens: one-click POSTs come from a mailbox provider's shared addresses, where someone
  // else's forgeries must not lock out a recipient's real unsubscribe.
  const token = decodeToken(rawToken);
  const subject = token === null || token === TEST_UNSUBSCRIBE_TOKEN ? null : verifyUnsubscribeToken(token);
  if (!token || !subject) {
    const locked = await secondsUntilAllowed(limits.forgeries, ip);
    if (locked > 0) return page({ kind: "rate_limited", retryAfterSeconds: locked });
    if (token === TEST_UNSUBSCRIBE_TOKEN) return page({ kind: "test" });
    await countRequest(limits.forgeries, ip);
    return page({ kind: "invalid" });
  }

  if (request.method !== "POST") {
    const view = await readUnsubscribe(serviceDb(), subject);
    if (!view) return page({ kind: "gone" });
    return page({ kind: view.unsubscribed ? "done" : "confirm", ...view, token });
  }

  const intent = await readIntent(request);
  if (intent === "too_large" || intent === "bad_request") return page({ kind: intent });
  return act(subject, token, intent);
}

async function act(subject: UnsubscribeSubject, token: string, intent: "one_click" | "link" | "undo"): Promise<Response> {
  if (intent === "undo") {
    const view = await undoUnsubscribe(serviceDb(), subject, { recipient: true });
    if (!view) return page({ kind: "gone" });
    return page({ kind: view.unsubscribed ? "kept" : "undone", ...view, token });
  }
  const view = await unsubscribeLead(serviceDb(), subject, intent);
  if (!view) return page({ kind: "gone" });
  return page({ kind: "done", ...view, token });
}

function decodeToken(raw: string): string | null {
  if (raw.length > 600) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** What a POST asks for, from a small form body (urlencoded, multipart, or untyped as Gmail may). */
async function readIntent(request: Request): Promise<"one_click" | "link" | "undo" | "bad_request" | "too_large"> {
  const body = await readBodyCapped(request, MAX_BODY_BYTES);
  if (body === null) return "too_large";
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  let fields: URLSearchParams | FormData;
  try {
    fields = type.startsWith("multipart/form-data")
      ? await new Response(body, { headers: { "content-type": type } }).formData()
      : new URLSearchParams(body.trim());
  } catch {
    return "bad_request";
  }
  if (fields.get("List-Unsubscribe") === "One-Click") return "one_click";
  const intent = fields.get("intent");
  if (intent === "unsubscribe") return "link";
  if (intent === "undo") return "undo";
  return "bad_request";
}

/**
 * The page's own CSP and referrer policy (next.config.ts sends the same for this path), and
 * nothing cached or indexed: the token is in the URL.
 */
const HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-robots-tag": "noindex, nofollow",
  ...Object.fromEntries(UNSUBSCRIBE_PAGE_HEADERS.map((h) => [h.key.toLowerCase(), h.value])),
};

function page(content: UnsubscribePage): Response {
  const headers: Record<string, string> = { ...HEADERS };
  if (content.kind === "rate_limited") headers["retry-after"] = String(content.retryAfterSeconds);
  return new Response(renderUnsubscribePage(content), { status: statusOf(content), headers });
}
