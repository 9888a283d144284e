/**
 * An expected failure whose message is written for the person who caused it. Anything else
 * that is thrown is logged and reaches the user as a generic message.
 */
export type AppErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "invalid_input"
  | "conflict"
  | "expired"
  | "email_failed"
  | "email_not_configured"
  | "rate_limited"
  | "unavailable";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
    /**
     * The record a conflict is with: the one that already holds the value (a lead's email, a
     * company's domain), for a program to use it instead, or the job run already doing the work.
     */
    readonly existingId?: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "That item") => new AppError("not_found", `${what} was not found.`);
export const forbidden = (message = "Your role does not allow this.") => new AppError("forbidden", message);
