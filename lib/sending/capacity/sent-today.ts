import "server-only";
import { sql, type SQL } from "drizzle-orm";

/**
 * What a mailbox has sent today against its daily cap, as SQL for a select list: the count of
 * sending_identity_usage for the mailbox's own local date (reserveSend counts days of the
 * identity's time zone), 0 when it has sent nothing yet today. `identityId` and `timeZone` are
 * the mailbox's columns, qualified by the caller.
 */
export function sentTodaySql(identityId: SQL, timeZone: SQL): SQL<number> {
  return sql<number>`coalesce((select u.sent from public.sending_identity_usage u
    where u.identity_id = ${identityId} and u.day = (now() at time zone ${timeZone})::date), 0)::int`;
}
