/** Which enrollment a send step acts for, and as which run (its generation). */
export type SendInput = { workspaceId: string; campaignId: string; enrollmentId: string; generation: number };

/**
 * What the sequence does after a send step (the step's memoized result, so a replay takes the
 * same path): send the next step at once, sleep until a time and then send `position`, or
 * end the run.
 */
export type SendOutcome =
  | { next: "send"; position: number }
  | { next: "sleep"; until: string; position: number; why: "due" | "window" | "cap" | "provider_busy" }
  | {
      next: "done";
      outcome:
        | "completed"
        | "skipped"
        | "failed"
        | "held"
        | "content_changed"
        | "superseded"
        | "ended"
        | "missing"
        | "no_identity"
        | "email_not_configured";
    };
