import "server-only";
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { emailDelivery, keepsMailInOutbox, KIND_TAG } from "@/lib/email/delivery";
import { env } from "@/lib/env";
import { storeOutboxMessage } from "./store";

/**
 * The subset of Resend's HTTP API (POST /emails) that the Resend SDK uses to send, served by
 * the app when RESEND_API_KEY is unset. Errors use Resend's shape: { statusCode, name, message }.
 */
const ZAddressList = z.union([z.string().min(3), z.array(z.string().min(3)).min(1).max(50)]);

const ZSendEmail = z.object({
  from: z.string().min(3),
  to: ZAddressList,
  subject: z.string().min(1),
  html: z.string().optional(),
  text: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});

function resendError(statusCode: number, name: string, message: string): Response {
  return Response.json({ statusCode, name, message }, { status: statusCode });
}

function keyMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function handleLocalResendRequest(request: Request, pathname: string): Promise<Response> {
  const e = env();
  if (!keepsMailInOutbox(e) || !e.LOCAL_RESEND_API_KEY) return new Response("Not Found", { status: 404 });

  const authorization = request.headers.get("authorization") ?? "";
  if (!authorization.startsWith("Bearer ")) return resendError(401, "missing_api_key", "Missing API key in the authorization header");
  if (!keyMatches(authorization.slice(7), e.LOCAL_RESEND_API_KEY)) return resendError(403, "invalid_api_key", "API key is invalid");

  if (request.method !== "POST" || pathname !== "/emails") return resendError(404, "not_found", "The requested endpoint does not exist.");

  const body = ZSendEmail.safeParse(await request.json().catch(() => null));
  if (!body.success) {
    const issue = body.error.issues[0];
    return resendError(422, "validation_error", `Invalid \`${issue?.path.join(".") || "body"}\`: ${issue?.message ?? "malformed JSON"}`);
  }
  if (!body.data.html && !body.data.text) return resendError(422, "validation_error", "Missing `html` or `text` field.");
  // Behind sendEmail's own refusal: a production demo outbox never keeps a credential.
  const product = body.data.tags?.some((tag) => tag.name === KIND_TAG && tag.value === "product");
  if (emailDelivery(e) === "demo-outbox" && !product) {
    return resendError(422, "validation_error", "The demo outbox keeps workspace (product) mail only.");
  }

  const id = await storeOutboxMessage({
    idempotencyKey: request.headers.get("idempotency-key"),
    fromAddress: body.data.from,
    toAddresses: Array.isArray(body.data.to) ? body.data.to : [body.data.to],
    subject: body.data.subject,
    html: body.data.html ?? null,
    textBody: body.data.text ?? null,
    headers: body.data.headers ?? {},
    tags: body.data.tags ?? [],
  });
  console.info(`[outbox] to ${Array.isArray(body.data.to) ? body.data.to.join(", ") : body.data.to}: ${body.data.subject}`);
  return Response.json({ id });
}
