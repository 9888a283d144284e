import { z } from "zod";

/** Where a page of job runs ends: keyset on (created_at, id), newest first. */
export type JobRunCursor = { createdAt: Date; id: string };

const ZCursorId = z.uuid();

export function encodeJobRunCursor({ createdAt, id }: JobRunCursor): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
}

/** Null for anything this app did not write: a cursor comes from the URL, so it is input. */
export function decodeJobRunCursor(cursor: string): JobRunCursor | null {
  const [at = "", id = "", ...rest] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at);
  if (rest.length > 0 || Number.isNaN(createdAt.getTime()) || !ZCursorId.safeParse(id).success) return null;
  return { createdAt, id };
}
