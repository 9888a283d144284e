import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { createLocalResendHandler } from "@/lib/outbox/resend-endpoint";
import { serveWebHandler, type ServedHandler } from "@/tests/serve-web-handler";

/**
 * The embedded outbox (the real Resend-compatible endpoint) behind a fake front that can be
 * told, per recipient, to answer the next requests as Resend would when it refuses, fails or
 * rate-limits, to hang (before or after storing the email) so a test can kill the sender
 * mid-call, to be slow (hold the request until `until` settles, then store and answer it), or
 * to run `afterStore` once it stored the email and before it answers (what the provider reports
 * about an email while its sender still waits for the answer). Every request is recorded with
 * its Idempotency-Key and tags.
 */
export type Scripted =
  | { status: number; name: string; message: string; headers?: Record<string, string> }
  | { hang: "before-store" | "after-store" }
  | { until: Promise<unknown> }
  | { afterStore: (emailId: string) => Promise<void> };

export type SeenRequest = { to: string; idempotencyKey: string | null; tags: { name: string; value: string }[]; status?: number };

export const OUTBOX_PREFIX = "/api/local-resend";

export type ScriptedOutbox = ServedHandler & {
  baseUrl: string;
  script: (to: string, ...responses: Scripted[]) => void;
  requests: SeenRequest[];
  /** Called when a request starts hanging. */
  onHang: ((to: string) => void) | undefined;
};

/** `rateLimitPerSecond`: the outbox answers 429s past it, as LOCAL_OUTBOX_RATE_LIMIT makes it do. */
export async function serveScriptedOutbox({ rateLimitPerSecond }: { rateLimitPerSecond?: number } = {}): Promise<ScriptedOutbox> {
  const handleLocalResendRequest = createLocalResendHandler({ rateLimitPerSecond });
  const scripts = new Map<string, Scripted[]>();
  const requests: SeenRequest[] = [];
  const outbox = {} as ScriptedOutbox;
  const served = await serveWebHandler(async (request) => {
    const path = new URL(request.url).pathname.slice(OUTBOX_PREFIX.length);
    const body = (await request
      .clone()
      .json()
      .catch(() => null)) as { to?: string | string[]; tags?: SeenRequest["tags"] } | null;
    const to = (Array.isArray(body?.to) ? body?.to[0] : body?.to) ?? "";
    const seen: SeenRequest = { to, idempotencyKey: request.headers.get("idempotency-key"), tags: body?.tags ?? [] };
    requests.push(seen);
    const next = scripts.get(to)?.shift();
    if (next && "status" in next) {
      return Response.json(
        { statusCode: next.status, name: next.name, message: next.message },
        { status: next.status, headers: next.headers ?? {} },
      );
    }
    if (next && "until" in next) await next.until;
    if (next && "hang" in next && next.hang === "before-store") {
      outbox.onHang?.(to);
      return new Promise<Response>(() => {});
    }
    const response = await handleLocalResendRequest(request, path);
    seen.status = response.status;
    if (next && "hang" in next && next.hang === "after-store") {
      outbox.onHang?.(to);
      return new Promise<Response>(() => {});
    }
    if (next && "afterStore" in next && response.ok) await next.afterStore(((await response.clone().json()) as { id: string }).id);
    return response;
  });
  return Object.assign(outbox, served, {
    baseUrl: `${served.url}${OUTBOX_PREFIX}`,
    script: (to: string, ...responses: Scripted[]) => scripts.set(to, [...(scripts.get(to) ?? []), ...responses]),
    requests,
    onHang: undefined,
  });
}

/** What the outbox kept for an address: the emails a person would have received. */
export async function outboxTo(address: string) {
  return serviceDb().execute<{
    id: string;
    subject: string;
    headers: Record<string, string>;
    tags: SeenRequest["tags"];
    text_body: string;
  }>(sql`select id, subject, headers, tags, text_body from local.outbox_messages where ${address} = any(to_addresses) order by created_at`);
}
