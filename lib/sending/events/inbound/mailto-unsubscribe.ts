import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { unsubscribeLead } from "@/lib/suppressions/unsubscribe-lead";
import type { ReceivedEmail } from "./fetch-received-email";
import { bareAddress } from "./match-headers";

/**
 * The List-Unsubscribe mailto of every campaign email (lib/sending/send/email-headers.ts) asks
 * the mail client to write to the identity's reply address with the subject "unsubscribe".
 */
export function isMailtoUnsubscribe(received: Pick<ReceivedEmail, "subject">): boolean {
  return (received.subject ?? "").trim().toLowerCase() === "unsubscribe";
}

/**
 * Honours an unsubscribe sent by email: for every workspace that mailed the sender's address
 * from the mailbox it wrote to (its from or reply-to address), the lead of that email is
 * unsubscribed exactly as by the link (suppressed, status, timeline, enrollments ended). The
 * sender's address and the mailbox together name the campaign mail: a stranger writing to the
 * mailbox unsubscribes nobody but an address that was mailed from it. Returns how many leads.
 */
export async function unsubscribeByEmail(db: Database, received: ReceivedEmail): Promise<number> {
  const from = bareAddress(received.from).toLowerCase();
  const mailboxes = received.to.map((address) => bareAddress(address).toLowerCase());
  if (!from.includes("@") || mailboxes.length === 0) return 0;
  const latest = await db.execute<{ workspace_id: string; lead_id: string; campaign_id: string }>(sql`
    select distinct on (m.workspace_id, m.lead_id) m.workspace_id, m.lead_id, m.campaign_id
    from public.email_messages m
    join public.sending_identities i on i.id = m.identity_id and i.workspace_id = m.workspace_id
    where lower(m.to_email) = ${from} and m.status = 'sent'
      and (lower(i.from_email) = any(${sql.param(mailboxes)}::text[]) or lower(i.reply_to) = any(${sql.param(mailboxes)}::text[]))
    order by m.workspace_id, m.lead_id, m.sent_at desc
    limit 50`);
  for (const row of latest) {
    await unsubscribeLead(db, { workspaceId: row.workspace_id, leadId: row.lead_id, campaignId: row.campaign_id }, "reply");
  }
  return latest.length;
}
