import { z } from "zod";

/**
 * Instantly's answers as documented (vendors/instantly-resend.md §1.2–1.9), checked at the
 * boundary. Objects are loose: every field we do not read is kept, as received, for the raw
 * tables, and a new field never fails the parse. Only what identifies a record is required.
 */
const text = z.string().nullish();

/**
 * `{ items, next_starting_after }`: feed the cursor back as `starting_after`; an empty page ends
 * the list. Each item is checked on its own: one Instantly wrote in another shape (a status as
 * the string "1") is left out, counted in `skipped` with the field that failed, and the rest of
 * the page is kept. Refusing the whole page stopped the cursor there, and with it every later
 * step of that workspace's sync, on every sync. `received` is the page's length as sent, for
 * telling the end of the list from a page whose items were all left out.
 */
export const instantlyPage = <T extends z.ZodType>(item: T) =>
  z
    .looseObject({ items: z.array(z.unknown()), next_starting_after: z.union([z.string(), z.number()]).nullish() })
    .transform(({ items: raw, next_starting_after }) => {
      const items: z.output<T>[] = [];
      const skipped: LeftOutItem[] = [];
      raw.forEach((candidate, index) => {
        const parsed = item.safeParse(candidate);
        if (parsed.success) items.push(parsed.data);
        else {
          const issue = parsed.error.issues[0];
          skipped.push({
            field: ["items", index, ...(issue?.path ?? [])].join("."),
            problem: issue?.message ?? "invalid",
            item: candidate,
          });
        }
      });
      return { items, next_starting_after, received: raw.length, skipped };
    });

/** An item of a page left out for its shape: the field that failed, and the item as received (for integration_invalid_answers). */
export type LeftOutItem = { field: string; problem: string; item: unknown };

export const ZInstantlyCampaign = z.looseObject({ id: z.string().min(1), name: text, status: z.number().nullish() });
export type InstantlyCampaign = z.infer<typeof ZInstantlyCampaign>;

/** Sending accounts are addressed by their email, which is their id. */
export const ZInstantlyAccount = z.looseObject({ email: z.string().min(3), status: z.number().nullish() });
export type InstantlyAccount = z.infer<typeof ZInstantlyAccount>;

/** One day of one campaign (GET /campaigns/analytics/daily): no bounces or unsubscribes per day. */
export const ZInstantlyDailyAnalytics = z.looseObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date") });
export type InstantlyDailyAnalytics = z.infer<typeof ZInstantlyDailyAnalytics>;

export const ZInstantlyLead = z.looseObject({
  id: z.string().min(1),
  email: text,
  campaign: text,
  status: z.number().nullish(),
  timestamp_updated: text,
});
export type InstantlyLead = z.infer<typeof ZInstantlyLead>;

export const ZInstantlyEmail = z.looseObject({
  id: z.string().min(1),
  timestamp_created: text,
  from_address_email: text,
  lead: text,
  campaign_id: text,
  subject: text,
  ue_type: z.number().nullish(),
  is_auto_reply: z.union([z.boolean(), z.number()]).nullish(),
});
export type InstantlyEmail = z.infer<typeof ZInstantlyEmail>;

/** What POST /leads/add answers (IN-addleads): counts of what was created, skipped or refused. */
const count = z.number().int().nullish();
export const ZInstantlyAddLeadsAnswer = z.looseObject({
  status: z.union([z.string(), z.number()]).nullish(),
  total_sent: count,
  leads_uploaded: count,
  in_blocklist: count,
  duplicated_leads: count,
  skipped_count: count,
  invalid_email_count: count,
  incomplete_count: count,
  duplicate_email_count: count,
  created_leads: z.array(z.looseObject({ index: z.number().nullish(), id: text, email: text })).nullish(),
});
export type InstantlyAddLeadsAnswer = z.infer<typeof ZInstantlyAddLeadsAnswer>;
