import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb, type Executor } from "@/db";

/** An inbound email as Resend's GET /emails/receiving/{id} returns it (the SDK's GetReceivingEmailResponseSuccess). */
export type ReceivedEmail = {
  object: "email";
  id: string;
  to: string[];
  from: string;
  created_at: string;
  subject: string;
  bcc: string[] | null;
  cc: string[] | null;
  reply_to: string[] | null;
  received_for: string[];
  html: string | null;
  text: string | null;
  headers: Record<string, string> | null;
  message_id: string;
  raw: null;
  attachments: [];
};

export type NewReceivedEmail = {
  replyToMessageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  messageId: string;
};

type Row = {
  id: string;
  from_address: string;
  to_addresses: string[];
  subject: string;
  html: string | null;
  text_body: string;
  headers: Record<string, string>;
  message_id: string;
  created_at: Date | string;
};

const toReceived = (r: Row): ReceivedEmail => ({
  object: "email",
  id: r.id,
  to: r.to_addresses,
  from: r.from_address,
  created_at: new Date(r.created_at).toISOString(),
  subject: r.subject,
  bcc: [],
  cc: [],
  reply_to: null,
  received_for: r.to_addresses,
  html: r.html,
  text: r.text_body,
  headers: r.headers,
  message_id: r.message_id,
  raw: null,
  attachments: [],
});

export async function storeReceivedEmail(db: Executor, email: NewReceivedEmail): Promise<ReceivedEmail> {
  const [row] = await db.execute<Row>(sql`
    insert into local.outbox_received_emails (reply_to_message_id, from_address, to_addresses, subject, html, text_body, headers, message_id)
    values (${email.replyToMessageId}::uuid, ${email.from}, ${sql.param(email.to)}::text[], ${email.subject}, ${email.html}, ${email.text},
            ${JSON.stringify(email.headers)}::jsonb, ${email.messageId})
    returning *`);
  return toReceived(row!);
}

export async function findReceivedEmail(id: string): Promise<ReceivedEmail | null> {
  const rows = await serviceDb().execute<Row>(sql`select * from local.outbox_received_emails where id = ${id}::uuid`);
  return rows[0] ? toReceived(rows[0]) : null;
}

/** The replies to one outbound message, oldest first (the outbox page lists them under it). */
export async function listRepliesTo(messageId: string): Promise<ReceivedEmail[]> {
  const rows = await serviceDb().execute<Row>(
    sql`select * from local.outbox_received_emails where reply_to_message_id = ${messageId}::uuid order by created_at`,
  );
  return rows.map(toReceived);
}
