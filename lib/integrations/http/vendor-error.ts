/**
 * A vendor call that did not give what was asked, with a message written for the admin who
 * has to act on it. `kind` lets callers decide: a job retries `rate_limited` and `unavailable`
 * later and fails at once on the others; the Integrations page shows the message.
 *  - unauthorized: the key is wrong or revoked (401);
 *  - forbidden: the key works but lacks a permission or plan the call needs (403);
 *  - rejected: the vendor refused the request itself (400/404/422);
 *  - rate_limited: the vendor's limit was reached and retries did not outlast it (429);
 *  - unavailable: 5xx, timeouts and network failures after every retry;
 *  - invalid_response: a 2xx whose body does not have the documented shape.
 */
export type VendorErrorKind = "unauthorized" | "forbidden" | "rejected" | "rate_limited" | "unavailable" | "invalid_response";

export class VendorError extends Error {
  constructor(
    readonly vendor: string,
    readonly kind: VendorErrorKind,
    message: string,
    readonly details: {
      status?: number;
      retryAfterMs?: number;
      body?: unknown;
      /** invalid_response: the field that failed. */ field?: string;
    } = {},
  ) {
    super(message);
    this.name = "VendorError";
  }

  /** Worth trying again later, unchanged. */
  get retryable(): boolean {
    return this.kind === "rate_limited" || this.kind === "unavailable";
  }
}
