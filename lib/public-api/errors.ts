import { z } from "zod";
import { AppError, type AppErrorCode } from "@/lib/errors";
import type { UnsavableText } from "@/lib/actions/unsavable-text";
import { serviceDb } from "@/db";
import { apiKeyRefusalById, type ApiKeyRefusal } from "@/lib/api-keys/authenticate-api-key";
import { KEY_WITHDRAWN_MESSAGE } from "@/lib/api-keys/key-still-active";

/**
 * The one shape of every refusal of the REST API: a machine-readable `code`, a message a person
 * can act on, and for invalid input the fields at fault (`fields`, keyed by the field's path).
 */
export const API_ERROR_CODES = [
  "missing_api_key",
  "invalid_api_key",
  "api_key_revoked",
  "api_key_expired",
  "api_key_inactive",
  "api_key_in_query",
  "insufficient_scope",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "invalid_json",
  "unsupported_media_type",
  "invalid_input",
  "payload_too_large",
  "conflict",
  "rate_limited",
  "internal",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const ZApiError = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional(),
      existingId: z.uuid().optional().meta({
        description:
          "With a 409 for a value another record holds (a lead's email or LinkedIn URL, a company's domain): that record's id, to read or update it instead.",
      }),
    }),
  })
  .meta({ id: "Error", description: "Every error answer: a machine-readable code and a message for a person." });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: Record<string, string[]>,
    readonly headers?: Record<string, string>,
    readonly existingId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const APP_ERRORS: Record<AppErrorCode, [number, ApiErrorCode]> = {
  unauthenticated: [401, "invalid_api_key"],
  forbidden: [403, "forbidden"],
  not_found: [404, "not_found"],
  invalid_input: [422, "invalid_input"],
  conflict: [409, "conflict"],
  expired: [409, "conflict"],
  email_failed: [500, "internal"],
  email_not_configured: [500, "internal"],
  rate_limited: [429, "rate_limited"],
  unavailable: [500, "internal"],
};

/** A service's expected failure (AppError) as the API says it; its message is written for people already. */
export function fromAppError(error: AppError): ApiError {
  const [status, code] = APP_ERRORS[error.code];
  return new ApiError(status, code, error.message, error.fieldErrors, undefined, error.existingId);
}

/**
 * zod's issues as `fields`: each path joined with dots ("tags.2"), the root as "body". A query
 * parameter is named by itself ("status", not "status.0": its value is one string).
 */
export function fromZodError(error: z.ZodError, root: string): ApiError {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const path of keys) {
      const name = fieldName(root, path);
      const message = issue.code === "unrecognized_keys" ? `Unknown field: ${String(path.at(-1))}. Check its spelling.` : issue.message;
      (fields[name] ??= []).push(message);
    }
  }
  const names = Object.keys(fields);
  return new ApiError(422, "invalid_input", `Check ${names.slice(0, 5).join(", ")}: ${fields[names[0]!]![0]}`, fields);
}

/** How a 422 names a field: `body` for the whole body, a query parameter by its name, a body field by its dotted path (`leads.3.email`). */
export function fieldName(root: string, path: readonly PropertyKey[]): string {
  return path.length === 0 ? root : root === "query" ? String(path[0]) : path.map(String).join(".");
}

export function errorResponse(error: ApiError): Response {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fields ? { fields: error.fields } : {}),
      ...(error.existingId ? { existingId: error.existingId } : {}),
    },
  };
  return Response.json(body, { status: error.status, headers: { "cache-control": "no-store", ...error.headers } });
}

/** A 422 naming each place of the input that holds text PostgreSQL cannot store (lib/actions/unsavable-text.ts). */
export function fromUnsavableText(unsavable: readonly UnsavableText[], root: string): ApiError {
  const fields = Object.fromEntries(unsavable.map(({ path, message }) => [fieldName(root, path), [message]]));
  return new ApiError(422, "invalid_input", `Check ${Object.keys(fields).slice(0, 5).join(", ")}: ${unsavable[0]!.message}`, fields);
}

/** Why a key is refused (401), in words: the same whether it was refused when the request arrived or before its write committed. */
export const API_KEY_REFUSALS: Record<ApiKeyRefusal, string> = {
  invalid_api_key: "That API key is not valid. Check that it was copied whole, or make a new one in Settings → API.",
  api_key_revoked: "That API key was revoked. Make a new one in Settings → API.",
  api_key_expired: "That API key has expired. Make a new one in Settings → API.",
  api_key_inactive: "The admin who made this API key is no longer an active member of its workspace, so it no longer works.",
};

/**
 * A write whose key stopped working while its request was on its way (lib/api-keys/key-still-active.ts):
 * the same code and words as a refusal at the start, saying that nothing was changed.
 */
export async function keyWithdrawn(keyId: string): Promise<ApiError> {
  const code = (await apiKeyRefusalById(serviceDb(), keyId)) ?? "api_key_revoked";
  return new ApiError(401, code, `${API_KEY_REFUSALS[code]} ${KEY_WITHDRAWN_MESSAGE}`);
}
