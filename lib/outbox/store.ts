import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { emailDelivery, KIND_TAG } from "@/lib/email/delivery";
import { insertWebhookDeliveries, outboundEventData } from "./webhook-events";

/** The embedded outbox's table lives outside `public` (db/local-outbox.sql): raw SQL on purpose. */
export type OutboxMessage = {
  id: string;
  fromAddress: string;
  toAddresses: string[];
  replyTo: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  html: string | null;
  textBody: string | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  createdAt: Date;
};

export type NewOutboxMessage = Omit<OutboxMessage, "id" | "createdAt" | "replyTo" | "cc" | "bcc"> &
  Partial<Pick<OutboxMessage, "replyTo" | "cc" | "bcc">> & {
    /** A key claimed with claimIdempotencyKey: it names this message once stored. */
    idempotencyKey: string | null;
  };

/**
 * Stores a message and, in the same statement, queues the `email.sent` and (a second later)
 * `email.delivered` webhooks a real provider would send for it, and binds its idempotency key.
 * One statement, one round trip: every campaign email passes here.
 */
export async function storeOutboxMessage(message: NewOutboxMessage): Promise<string> {
  const stored: OutboxMessage = {
    id: randomUUID(),
    fromAddress: message.fromAddress,
    toAddresses: message.toAddresses,
    replyTo: message.replyTo ?? [],
    cc: message.cc ?? [],
    bcc: message.bcc ?? [],
    subject: message.subject,
    html: message.html,
    textBody: message.textBody,
    headers: message.headers,
    tags: message.tags,
    createdAt: new Date(),
  };
  const data = outboundEventData(stored);
  const bindKey = message.idempotencyKey
    ? sql`, bound as (update local.outbox_idempotency_keys set message_id = ${stored.id}::uuid where key = ${message.idempotencyKey})`
    : sql``;
  await serviceDb().execute(sql`
    with stored as (
      insert into local.outbox_messages (id, created_at, idempotency_key, from_address, to_addresses, reply_to, cc, bcc, subject, html, text_body, headers, tags)
      values (${stored.id}::uuid, ${stored.createdAt.toISOString()}::timestamptz, ${message.idempotencyKey}, ${stored.fromAddress},
              ${sql.param(stored.toAddresses)}::text[], ${sql.param(stored.replyTo)}::text[], ${sql.param(stored.cc)}::text[],
              ${sql.param(stored.bcc)}::text[], ${stored.subject}, ${stored.html}, ${stored.textBody},
              ${JSON.stringify(stored.headers)}::jsonb, ${JSON.stringify(stored.tags)}::jsonb)
      returning id
    ), announced as (
      ${insertWebhookDeliveries([
        { type: "email.sent", emailId: stored.id, data },
        { type: "email.delivered", emailId: stored.id, data, afterSeconds: 1 },
      ])}
    )${bindKey}
    select id from stored`);
  return stored.id;
}

type Row = {
  id: string;
  from_address: string;
  to_addresses: string[];
  reply_to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  html: string | null;
  text_body: string | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  created_at: Date | string;
};

const toMessage = (r: Row): OutboxMessage => ({
  id: r.id,
  fromAddress: r.from_address,
  toAddresses: r.to_addresses,
  replyTo: r.reply_to ?? [],
  cc: r.cc ?? [],
  bcc: r.bcc ?? [],
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
const ofWorkspace = (workspaceId: string) => sql`
  ${tagged("workspace_id", workspaceId)}
  and ${tagged(KIND_TAG, "product")}
  and not ${tagged(KIND_TAG, "credential")}
  and not ${tagged("category", "auth")}
  and not ${tagged("category", "invitation")}`;

export async function listWorkspaceOutbox(workspaceId: string, limit = 100): Promise<OutboxMessage[]> {
  const rows = await serviceDb().execute<Row>(sql`
    select m.* from local.outbox_messages m
    where ${ofWorkspace(workspaceId)}
    order by m.created_at desc
    limit ${limit}`);
  return rows.map(toMessage);
}

/** One message, only if the workspace may read it (the same rule as its list). */
export async function findWorkspaceOutboxMessage(workspaceId: string, id: string): Promise<OutboxMessage | null> {
  const rows = await serviceDb().execute<Row>(sql`
    select m.* from local.outbox_messages m where m.id = ${id}::uuid and ${ofWorkspace(workspaceId)}`);
  return rows[0] ? toMessage(rows[0]) : null;
}

export async function findOutboxMessage(id: string): Promise<OutboxMessage | null> {
  const rows = await serviceDb().execute<Row>(sql`select m.* from local.outbox_messages m where m.id = ${id}::uuid`);
  return rows[0] ? toMessage(rows[0]) : null;
}

/** Every message the server sent, credentials included: for the development mail catcher only. */
export async function listAllOutboxMessages(limit = 200): Promise<OutboxMessage[]> {
  if (emailDelivery() !== "dev-mail-catcher") throw new Error("the mail catcher exists in development only");
  const rows = await serviceDb().execute<Row>(sql`select m.* from local.outbox_messages m order by m.created_at desc limit ${limit}`);
  return rows.map(toMessage);
}
