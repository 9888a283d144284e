import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { emailDelivery, KIND_TAG } from "@/lib/email/delivery";

/** The embedded outbox's table lives outside `public` (db/local-outbox.sql): raw SQL on purpose. */
export type OutboxMessage = {
  id: string;
  fromAddress: string;
  toAddresses: string[];
  subject: string;
  html: string | null;
  textBody: string | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  createdAt: Date;
};

export type NewOutboxMessage = Omit<OutboxMessage, "id" | "createdAt"> & { idempotencyKey: string | null };

/** Stores a message once per idempotency key; a repeat returns the first message's id. */
export async function storeOutboxMessage(message: NewOutboxMessage): Promise<string> {
  const db = serviceDb();
  const inserted = await db.execute<{ id: string }>(sql`
    insert into local.outbox_messages (idempotency_key, from_address, to_addresses, subject, html, text_body, headers, tags)
    values (${message.idempotencyKey}, ${message.fromAddress}, ${sql.param(message.toAddresses)}::text[], ${message.subject},
            ${message.html}, ${message.textBody}, ${JSON.stringify(message.headers)}::jsonb, ${JSON.stringify(message.tags)}::jsonb)
    on conflict (idempotency_key) do nothing
    returning id`);
  if (inserted[0]) return inserted[0].id;
  const existing = await db.execute<{ id: string }>(
    sql`select id from local.outbox_messages where idempotency_key = ${message.idempotencyKey}`,
  );
  return existing[0]!.id;
}

type Row = {
  id: string;
  from_address: string;
  to_addresses: string[];
  subject: string;
  html: string | null;
  text_body: string | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  created_at: Date;
};

const toMessage = (r: Row): OutboxMessage => ({
  id: r.id,
  fromAddress: r.from_address,
  toAddresses: r.to_addresses,
  subject: r.subject,
  html: r.html,
  textBody: r.text_body,
  headers: r.headers,
  tags: r.tags,
  createdAt: new Date(r.created_at),
});

const tagged = (name: string, value: string) => sql`m.tags @> ${JSON.stringify([{ name, value }])}::jsonb`;

/**
 * What a workspace may read: product mail that our own code tagged with its id (sendEmail
 * stamps `kind`). Recipients play no part, so no sign-in link, reset link or invitation can
 * match, whoever it is addressed to (DESIGN.md §11: accounts are global); the category tags
 * of credential mail are excluded as well, in case a caller ever tags one with a workspace.
 */
export async function listWorkspaceOutbox(workspaceId: string, limit = 100): Promise<OutboxMessage[]> {
  const rows = await serviceDb().execute<Row>(sql`
    select m.* from local.outbox_messages m
    where ${tagged("workspace_id", workspaceId)}
      and ${tagged(KIND_TAG, "product")}
      and not ${tagged(KIND_TAG, "credential")}
      and not ${tagged("category", "auth")}
      and not ${tagged("category", "invitation")}
    order by m.created_at desc
    limit ${limit}`);
  return rows.map(toMessage);
}

/** Every message the server sent, credentials included: for the development mail catcher only. */
export async function listAllOutboxMessages(limit = 200): Promise<OutboxMessage[]> {
  if (emailDelivery() !== "dev-mail-catcher") throw new Error("the mail catcher exists in development only");
  const rows = await serviceDb().execute<Row>(sql`select m.* from local.outbox_messages m order by m.created_at desc limit ${limit}`);
  return rows.map(toMessage);
}
