import { z } from "zod";
import { isTimestampText } from "@/lib/db-values/timestamp-text";
import { REPLY_CATEGORIES } from "./reply-categories";

/** Where a page of replies ends: keyset on (received_at, id), newest first. */
export type ReplyCursor = { receivedAt: string; id: string };

const ZCursor = z.object({
  // PostgreSQL's own text (microseconds): a JS Date would drop them and repeat or skip rows.
  receivedAt: z.string().refine(isTimestampText),
  id: z.uuid(),
});

export function encodeReplyCursor(cursor: ReplyCursor): string {
  return Buffer.from(`${cursor.receivedAt}|${cursor.id}`).toString("base64url");
}

/** Null for anything this app did not write: a cursor comes from the URL, so it is input. */
export function decodeReplyCursor(cursor: string): ReplyCursor | null {
  if (cursor.length > 200) return null;
  const [receivedAt = "", id = "", ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  if (rest.length > 0) return null;
  const parsed = ZCursor.safeParse({ receivedAt, id });
  return parsed.success ? parsed.data : null;
}

/**
 * The Replies inbox's filters, from the URL: a category (or `unread`: read by neither the model
 * nor a person yet, failed or no model), a campaign, and the page's cursor; anything unknown is
 * dropped rather than trusted.
 */
export const ZReplyFilters = z.object({
  category: z
    .enum([...REPLY_CATEGORIES, "unread"])
    .optional()
    .catch(undefined),
  campaign: z.uuid().optional().catch(undefined),
  after: z.string().max(200).optional().catch(undefined),
});
export type ReplyFilters = z.infer<typeof ZReplyFilters>;
