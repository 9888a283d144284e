import "server-only";
import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";

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

/**
 * Messages a workspace may see: tagged with its id, or addressed to one of its members or
 * open invitations. Magic links for members show up here so an admin can hand them over.
 */
export async function listOutboxMessagesForWorkspace(workspaceId: string, limit = 100): Promise<OutboxMessage[]> {
  const rows = await serviceDb().execute<Row>(sql`
    select m.* from local.outbox_messages m
    where m.tags @> ${JSON.stringify([{ name: "workspace_id", value: workspaceId }])}::jsonb
       or exists (
         select 1 from unnest(m.to_addresses) as recipient(address)
         where lower(recipient.address) in (
           select lower(u.email) from public.workspace_members wm join auth.users u on u.id = wm.user_id
           where wm.workspace_id = ${workspaceId}
           union
           select i.email from public.invitations i where i.workspace_id = ${workspaceId}
         )
       )
    order by m.created_at desc
    limit ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    fromAddress: r.from_address,
    toAddresses: r.to_addresses,
    subject: r.subject,
    html: r.html,
    textBody: r.text_body,
    headers: r.headers,
    tags: r.tags,
    createdAt: new Date(r.created_at),
  }));
}
