/**
 * What a reply can be read as (issue 15), browser-safe: the schema's enum, the model's answer
 * schema and the UI's labels all come from here. The model can only pick one of these.
 */
export const REPLY_CATEGORIES = [
  "interested",
  "question",
  "not_interested",
  "not_now",
  "out_of_office",
  "unsubscribe_request",
  "wrong_person",
  "auto_reply",
  "bounce",
] as const;
export type ReplyCategory = (typeof REPLY_CATEGORIES)[number];

export const REPLY_CATEGORY_LABELS: Record<ReplyCategory, string> = {
  interested: "Interested",
  question: "Question",
  not_interested: "Not interested",
  not_now: "Not now",
  out_of_office: "Out of office",
  unsubscribe_request: "Unsubscribe request",
  wrong_person: "Wrong person",
  auto_reply: "Auto-reply",
  bounce: "Bounce",
};

/**
 * pending: waiting for the job; classified; failed (the model answered outside the schema
 * twice, or the budget was spent: `failure` says which); no_model: no model is configured,
 * the reply is stored as before and the UI says so.
 */
export const REPLY_CLASSIFICATION_STATES = ["pending", "classified", "failed", "no_model"] as const;
export type ReplyClassificationState = (typeof REPLY_CLASSIFICATION_STATES)[number];

/** Where the reply came from: Resend inbound (email_replies) or Instantly (instantly_emails). */
export const REPLY_SOURCES = ["resend", "instantly"] as const;
export type ReplySource = (typeof REPLY_SOURCES)[number];

/**
 * The only things a classification may do, each recorded on the timeline and undoable:
 * interested → the lead's status; out of office → the enrollment's next step after the return
 * date (delayed while active, or resumed later when the reply had ended it); unsubscribe
 * request → the unsubscribe path; wrong person → the referred contact offered as a lead.
 */
export const REPLY_ACTION_KINDS = [
  "lead_interested",
  "enrollment_delayed",
  "enrollment_resumed_later",
  "unsubscribed",
  "referral_offered",
] as const;
export type ReplyActionKind = (typeof REPLY_ACTION_KINDS)[number];

export type ReplyReferral = { name: string | null; email: string | null; title: string | null };

export type ReplyAction =
  | { kind: "lead_interested"; statusBefore: string }
  | {
      kind: "enrollment_delayed";
      enrollmentId: string;
      campaignId: string;
      nextSendAtBefore: string | null;
      resumeAt: string;
      /** The reply had moved the lead to replied (which stops every send): moved back to contacted. */
      leadBackToContacted: boolean;
    }
  | {
      kind: "enrollment_resumed_later";
      enrollmentId: string;
      campaignId: string;
      resumeAt: string;
      generation: number;
      leadBackToContacted: boolean;
      /** The reply had ended the campaign's last enrollment (so completed it): the campaign runs again. */
      campaignReopened?: boolean;
    }
  | { kind: "unsubscribed"; campaignId: string | null }
  | { kind: "referral_offered"; referral: ReplyReferral; existingLeadId: string | null };

export const REPLY_ACTION_LABELS: Record<ReplyActionKind, string> = {
  lead_interested: "Lead marked interested, owner notified",
  enrollment_delayed: "Next step put off until they are back",
  enrollment_resumed_later: "Sequence resumes once they are back",
  unsubscribed: "Unsubscribed and suppressed",
  referral_offered: "Referred contact offered as a new lead",
};

/**
 * How long an absence notice without a return date ("I am out of the office with limited access
 * to email") is taken to last, counted in days from the day it came. Left as an answer, it kept
 * the lead `replied` and every sequence that stops on a reply stopped for good; sent on at once,
 * the next step would land in the same absent inbox. Most such absences are a week or two.
 */
export const UNDATED_ABSENCE_DAYS = 7;

/** An out-of-office return date (YYYY-MM-DD, a calendar day in no zone) as people write it: "12 January 2027". */
export function formatReturnDate(isoDay: string): string {
  return new Date(`${isoDay}T00:00:00Z`).toLocaleDateString("en-GB", { dateStyle: "long", timeZone: "UTC" });
}

/**
 * Why an out-of-office reading put nothing off, for the lead page (no action was recorded). A
 * sequence sent through Instantly is Instantly's to schedule: its API can stop a lead's sequence
 * or label the lead, but not hold its next step until a date.
 */
export function outOfOfficeNothingDone(reading: { source: ReplySource }): string {
  if (reading.source === "instantly") {
    return "Instantly sends this lead's sequence and decides when its next email goes: nothing was put off here.";
  }
  return "Nothing was put off: no sequence of ours was due to email this lead before then (none running, its next email already later, or its campaign stopped).";
}
