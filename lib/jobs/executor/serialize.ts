import type { JobError } from "@/db/schema";

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
const MAX_TEXT = 8_000;

/** A payload the executor cannot store; the run fails with this message, without retries. */
export class UnstorableValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnstorableValueError";
  }
}

export type Stored = { json: string; value: unknown };

/**
 * Turns a step's or a function's return value into the JSON that is stored and handed back
 * on replay, as Inngest does (`undefined` becomes null). Values JSON cannot hold, text
 * PostgreSQL cannot store and anything over the size limit are refused with a readable reason.
 */
export function storeValue(value: unknown, what: string, maxBytes = DEFAULT_MAX_OUTPUT_BYTES): Stored {
  let json: string | undefined;
  try {
    json = JSON.stringify(value === undefined ? null : value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnstorableValueError(
      `${what} returned a value that cannot be stored as JSON (${reason}). Return plain data: strings, numbers, booleans, arrays and objects.`,
    );
  }
  if (json === undefined) json = "null";
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes > maxBytes) {
    throw new UnstorableValueError(
      `${what} returned ${formatBytes(bytes)} of data; the limit is ${formatBytes(maxBytes)}. Store large data in a table and return its id.`,
    );
  }
  if (json.includes("\\u0000")) {
    throw new UnstorableValueError(`${what} returned text containing a NUL character (\\u0000), which PostgreSQL cannot store.`);
  }
  return { json, value: JSON.parse(json) };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Any thrown value as a small JSON-safe error, whatever was thrown (cycles, BigInts, symbols). */
export function toJobError(thrown: unknown, depth = 0): JobError {
  if (thrown instanceof Error) {
    const error: JobError = { name: clip(safeString(thrown.name) || "Error"), message: clip(safeString(thrown.message)) };
    if (thrown.stack) error.stack = clip(safeString(thrown.stack));
    if (thrown.cause !== undefined && depth < 3) error.cause = toJobError(thrown.cause, depth + 1);
    return error;
  }
  if (typeof thrown === "string") return { name: "Error", message: clip(thrown) };
  if (isSerializedError(thrown))
    return { name: clip(thrown.name), message: clip(thrown.message), ...(thrown.stack ? { stack: clip(thrown.stack) } : {}) };
  return { name: "NonErrorThrown", message: clip(`A non-Error value was thrown: ${describe(thrown)}`) };
}

function isSerializedError(value: unknown): value is { name: string; message: string; stack?: string } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === "string" && typeof v.message === "string" && (v.stack === undefined || typeof v.stack === "string");
}

function describe(value: unknown): string {
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // fall through: cycles and BigInts inside objects
  }
  return safeString(value) || "an unprintable value";
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "";
  }
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
