import "server-only";
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { emailDelivery, keepsMailInOutbox, KIND_TAG } from "@/lib/email/delivery";
import { env } from "@/lib/env";
import { createOutboxConsoleSummary } from "./console-summary";
import { requestHash } from "./idempotency";
import { createRateLimiter, rateLimitHeaders, type RateLimiter } from "./rate-limit";
import { findReceivedEmail } from "./received";
import { storeOutboxMessage, storeOutboxMessageOnce } from "./store";
import { readBodyCapped } from "@/lib/security/read-body-capped";

/**
 * The subset of Resend's HTTP API the app's Resend SDK calls (POST /emails, GET
 * /emails/receiving/{id}), served by the app when RESEND_API_KEY is unset. Errors use Resend's
 * shape: { statusCode, name, message }.
 */
const ZAddress = z.string().min(3).max(320);
const ZAddressList = z.union([ZAddress, z.array(ZAddress).min(1).max(50)]);
const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const ZSendEmail = z.object({
  from: z.string().min(3),
  to: ZAddressList,
  subject: z.string().min(1),
  html: z.string().optional(),
  text: z.string().optional(),
  reply_to: ZAddressList.optional(),
  cc: ZAddressList.optional(),
  bcc: ZAddressList.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});

/** Resend's own limit on an email, attachments included, is 40 MB; ours carry none. */
const MAX_SEND_BODY = 10 * 1024 * 1024;
const RECEIVING = /^\/emails\/receiving\/([0-9a-f-]{36})$/;

function resendError(statusCode: number, name: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ statusCode, name, message }, { status: statusCode, headers });
}

function keyMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type LocalResendOptions = {
  /** Requests per second before 429 rate_limit_exceeded; unset: no limit (LOCAL_OUTBOX_RATE_LIMIT). */
  rateLimitPerSecond?: number;
};

export type LocalResendHandler = (request: Request, pathname: string) => Promise<Response>;

/** One outbox API with its own rate-limit window (the route keeps one per server process). */
export function createLocalResendHandler(options: LocalResendOptions = {}): LocalResendHandler {
  const limiter: RateLimiter | null = options.rateLimitPerSecond ? createRateLimiter(options.rateLimitPerSecond) : null;

  return async (request, pathname) => {
    const e = env();
    if (!keepsMailInOutbox(e) || !e.LOCAL_RESEND_API_KEY) return new Response("Not Found", { status: 404 });

    const authorization = request.headers.get("authorization") ?? "";
    if (!authorization.startsWith("Bearer ")) return resendError(401, "missing_api_key", "Missing API key in the authorization header");
    if (!keyMatches(authorization.slice(7), e.LOCAL_RESEND_API_KEY)) return resendError(403, "invalid_api_key", "API key is invalid");

    const decision = limiter?.take();
    const limitHeaders = decision ? rateLimitHeaders(decision) : {};
    if (decision && !decision.allowed) {
      return resendError(
        429,
        "rate_limit_exceeded",
        "Too many requests. You can only make " + decision.limit + " requests per second.",
        limitHeaders,
      );
    }

    const response = await route(request, pathname);
    for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
    return response;
  };
}

async function route(request: Request, pathname: string): Promise<Response> {
  if (request.method === "POST" && pathname === "/emails") return sendEmail(request);
  const receiving = RECEIVING.exec(pathname);
  if (request.method === "GET" && receiving) {
    const email = await findReceivedEmail(receiving[1]!);
    return email ? Response.json(email) : resendError(404, "not_found", "Email not found");
  }
  return resendError(404, "not_found", "The requested endpoint does not exist.");
}

async function sendEmail(request: Request): Promise<Response> {
  const text = await readBodyCapped(request, MAX_SEND_BODY);
  if (text === null) return resendError(413, "validation_error", `The email is larger than ${MAX_SEND_BODY / 1024 / 1024} MB.`);
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Answered below as Resend answers a malformed body.
  }
  const body = ZSendEmail.safeParse(json);
  if (!body.success) {
    const issue = body.error.issues[0];
    return resendError(422, "validation_error", `Invalid \`${issue?.path.join(".") || "body"}\`: ${issue?.message ?? "malformed JSON"}`);
  }
  if (!body.data.html && !body.data.text) return resendError(422, "validation_error", "Missing `html` or `text` field.");
  // Behind sendEmail's own refusal: a production demo outbox never keeps a credential.
  const product = body.data.tags?.some((tag) => tag.name === KIND_TAG && tag.value === "product");
  if (emailDelivery() === "demo-outbox" && !product) {
    return resendError(422, "validation_error", "The demo outbox keeps workspace (product) mail only.");
  }

  const idempotencyKey = request.headers.get("idempotency-key");
  if (idempotencyKey !== null && (idempotencyKey.length < 1 || idempotencyKey.length > 256)) {
    return resendError(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
  }
  const message = {
    fromAddress: body.data.from,
    toAddresses: list(body.data.to),
    replyTo: list(body.data.reply_to),
    cc: list(body.data.cc),
    bcc: list(body.data.bcc),
    subject: body.data.subject,
    html: body.data.html ?? null,
    textBody: body.data.text ?? null,
    headers: body.data.headers ?? {},
    tags: body.data.tags ?? [],
  };
  const outcome =
    idempotencyKey === null
      ? { kind: "stored" as const, id: await storeOutboxMessage(message) }
      : await storeOutboxMessageOnce(message, { key: idempotencyKey, requestHash: requestHash(json) });
  if (outcome.kind === "replay") return Response.json({ id: outcome.messageId });
  if (outcome.kind === "mismatch") {
    return resendError(
      409,
      "invalid_idempotent_request",
      "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
    );
  }
  noteInConsole ??= createOutboxConsoleSummary({
    where: emailDelivery() === "dev-mail-catcher" ? `${env().APP_URL}/dev/mail` : "Settings → Outbox",
  });
  noteInConsole(list(body.data.to), body.data.subject);
  return Response.json({ id: outcome.id });
}

let noteInConsole: ReturnType<typeof createOutboxConsoleSummary> | undefined;

let processHandler: LocalResendHandler | undefined;

/** The route's handler: one rate-limit window per server process, configured by LOCAL_OUTBOX_RATE_LIMIT. */
export function handleLocalResendRequest(request: Request, pathname: string): Promise<Response> {
  processHandler ??= createLocalResendHandler({ rateLimitPerSecond: env().LOCAL_OUTBOX_RATE_LIMIT });
  return processHandler(request, pathname);
}
