import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { emailDelivery, KIND_TAG } from "@/lib/email/delivery";
import { earlierAnswer, IDEMPOTENCY_KEY_TTL_HOURS, type IdempotentRequest } from "./idempotency";
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
  Partial<Pick<OutboxMessage, "replyTo" | "cc" | "bcc">>;

/** Stores a message sent without an Idempotency-Key; returns its id. */
export async function storeOutboxMessage(message: NewOutboxMessage): Promise<string> {
  const id = await insertMessage(message, null);
  if (!id) throw new Error("unreachable: a message without a key is always stored");
  return id;
}

export type StoreOutcome = { kind: "stored"; id: string } | { kind: "replay"; messageId: string } | { kind: "mismatch" };

/**
 * Stores a message under its Idempotency-Key unless the key already names one (Resend's
 * semantics: idempotency.ts): then the first message's id for the same payload, or a mismatch.
 */
export async function storeOutboxMessageOnce(message: NewOutboxMessage, request: IdempotentRequest): Promise<StoreOutcome> {
  // A second round only if the key's row went between the two statements (its message deleted).
  for (let round = 0; round < 2; round++) {
    const id = await insertMessage(message, request);
    if (id) return { kind: "stored", id };
    const earlier = await earlierAnswer(request);
    if (earlier) return earlier;
  }
  throw new Error(`The outbox could neither store a message under idempotency key ${request.key} nor find what it names`);
}

/**
 * Stores a message and, in the same statement, queues the `email.sent` and (a second later)
 * `email.delivered` webhooks a real provider would send for it. Under an Idempotency-Key, the
 * key is written first, naming the message: a new key, or one past its 24 hours, lets the rest
 * happen; a live one stops it all (null). A concurrent request with the same key waits on the
 * key's row until this one commits, then finds it. One statement, one commit: every campaign
 * email passes here.
 */
async function insertMessage(message: NewOutboxMessage, request: IdempotentRequest | null): Promise<string | null> {
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
  const claim = request
    ? sql`claimed as (
        insert into local.outbox_idempotency_keys as k (key, request_hash, message_id)
        values (${request.key}, ${request.requestHash}, ${stored.id}::uuid)
        on conflict (key) do update set request_hash = excluded.request_hash, message_id = excluded.message_id, created_at = now()
          where k.created_at < now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})
        returning key
      ),`
    : sql``;
  const rows = await serviceDb().execute<{ id: string }>(sql`
    with ${claim} stored as (
      insert into local.outbox_messages (id, created_at, idempotency_key, from_address, to_addresses, reply_to, cc, bcc, subject, html, text_body, headers, tags)
      select ${stored.id}::uuid, ${stored.createdAt.toISOString()}::timestamptz, ${request?.key ?? null}, ${stored.fromAddress},
             ${sql.param(stored.toAddresses)}::text[], ${sql.param(stored.replyTo)}::text[], ${sql.param(stored.cc)}::text[],
             ${sql.param(stored.bcc)}::text[], ${stored.subject}, ${stored.html}, ${stored.textBody},
             ${JSON.stringify(stored.headers)}::jsonb, ${JSON.stringify(stored.tags)}::jsonb
      ${request ? sql`where exists (select from claimed)` : sql``}
      returning id
    ), announced as (
      ${insertWebhookDeliveries(
        [
          { type: "email.sent", emailId: stored.id, data },
          { type: "email.delivered", emailId: stored.id, data, afterSeconds: 1 },
        ],
        { onlyIf: sql`exists (select from stored)` },
      )}
    )
    select id from stored`);
  return rows[0]?.id ?? null;
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
