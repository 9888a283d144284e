import { sql, type SQL } from "drizzle-orm";
import type { EnrollmentEndCause, LeadStatus, SuppressionReason } from "@/db/schema";

export type LeadAtSendTime = {
  lead_deleted: boolean;
  lead_email: string | null;
  lead_status: LeadStatus;
  /** The campaign's stop-on-reply: without it, a lead who replied keeps getting its steps. */
  stop_on_reply: boolean;
  /**
   * Whether the lead has replied since this enrollment began, to any of the workspace's emails
   * (one read as automatic, an out-of-office notice or an auto-reply, does not count). Its status alone does not say so: a reply to
   * another campaign's email ends only that campaign's sequence, and its reading moves the lead
   * on from replied (to interested, say) before this campaign's next step is due.
   */
  replied_since_enrolled: boolean;
  suppressed: boolean;
  suppression_reason: SuppressionReason | null;
};

export type Refusal = { cause: EnrollmentEndCause; reason: string };

const BY_SUPPRESSION: Partial<Record<SuppressionReason, Refusal>> = {
  unsubscribe: { cause: "unsubscribed", reason: "The lead unsubscribed." },
  bounce: { cause: "bounced", reason: "The lead's address bounced." },
  complaint: { cause: "complained", reason: "The lead marked an email as spam." },
};

/**
 * Why this lead must not get the email now (DESIGN.md §7.3), in the words the campaign page
 * shows on the enrollment; null when nothing stands in the way. Checked at send time, whatever
 * was true at launch: a lead deleted, replied (in a campaign that stops on reply: the setting
 * is the campaign's; its status says replied, or a reply came since it was enrolled), unsubscribed, bounced, complained or suppressed (address or whole
 * domain) since then is skipped.
 */
export function leadRefusal(lead: LeadAtSendTime): Refusal | null {
  if (lead.lead_deleted) return { cause: "lead_deleted", reason: "The lead was deleted." };
  if (!lead.lead_email?.trim()) return { cause: "no_email", reason: "The lead has no email address." };
  if (lead.lead_status === "unsubscribed") return BY_SUPPRESSION.unsubscribe!;
  if (lead.lead_status === "bounced") return BY_SUPPRESSION.bounce!;
  if ((lead.lead_status === "replied" || lead.replied_since_enrolled) && lead.stop_on_reply)
    return { cause: "replied", reason: "The lead replied." };
  if (lead.suppressed) {
    const specific = lead.suppression_reason ? BY_SUPPRESSION[lead.suppression_reason] : undefined;
    return specific ?? { cause: "suppressed", reason: "The lead's address or domain is on the suppression list." };
  }
  return null;
}

/**
 * The status part of leadRefusal in SQL, for the statements that claim a send and hand it to
 * the provider (`lead` and `campaign`: the aliases of their leads and campaigns rows), so the
 * three checks cannot drift apart.
 */
export function leadStatusSendable(lead: "l", campaign: "c" | "cp"): SQL {
  return sql.raw(`${lead}.status not in ('unsubscribed', 'bounced') and (${lead}.status <> 'replied' or not ${campaign}.stop_on_reply)`);
}
