import { z } from "zod";
import { WEEKDAYS } from "@/db/schema/campaign-enums";

/** Browser-safe: the Settings → Sending form validates with these before the server does again. */

export const WEEKDAY_LABELS: Record<(typeof WEEKDAYS)[number], string> = {
  1: "Mon",
  2: "Tue",
  3: "Wed",
  4: "Thu",
  5: "Fri",
  6: "Sat",
  7: "Sun",
};

const ZAddress = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${what}.`)
    .max(254, `${what[0]!.toUpperCase()}${what.slice(1)} is too long.`)
    .pipe(z.email(`Enter a valid email address for ${what}, like name@company.com.`))
    .transform((v) => v.toLowerCase());

/** "" (an empty field) means none. */
const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((v) => (v === "" ? null : v));

/** "HH:MM" from a time field, as minutes after midnight; "24:00" is the end of the day. */
const ZClock = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, `Enter ${what} as a time, like 09:00.`)
    .transform((v) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3, 5)));

export function isIanaTimeZone(zone: string): boolean {
  if (!zone.includes("/") && zone !== "UTC") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const ZFieldsObject = z.object({
  fromName: z.string().trim().min(1, "Enter the name emails come from.").max(80, "Use at most 80 characters for the from name."),
  fromEmail: ZAddress("the from address"),
  replyTo: z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(ZAddress("the reply-to address").nullable()),
  dailyCap: z.coerce
    .number({ message: "Enter a daily cap as a number." })
    .int("Enter a whole number of emails per day.")
    .min(1, "The daily cap is at least 1 email.")
    .max(10_000, "The daily cap is at most 10,000 emails."),
  sendDays: z
    .array(z.coerce.number().pipe(z.union(WEEKDAYS.map((d) => z.literal(d)))), { message: "Choose the days it sends on." })
    .min(1, "Choose at least one day it sends on.")
    .max(7)
    .transform((days) => [...new Set(days)].sort((a, b) => a - b)),
  sendFrom: ZClock("when sending starts"),
  sendUntil: ZClock("when sending stops"),
  timeZone: z.string().trim().refine(isIanaTimeZone, "Choose a time zone by its IANA name, like Europe/Paris or America/New_York."),
  postalAddress: optionalText(300, "Use at most 300 characters for the postal address."),
  signature: optionalText(2000, "Use at most 2,000 characters for the signature."),
});

const windowEnds = (v: { sendFrom: number; sendUntil: number }) => v.sendUntil > v.sendFrom;
const windowError = { path: ["sendUntil"], message: "Sending must stop after it starts, on the same day." };

export const ZSendingIdentityFields = ZFieldsObject.refine(windowEnds, windowError);

export type SendingIdentityFields = z.output<typeof ZSendingIdentityFields>;
export type SendingIdentityForm = z.input<typeof ZSendingIdentityFields>;

const ZIdentityId = z.uuid("That sending identity is not valid.");

export const ZCreateSendingIdentity = ZSendingIdentityFields;
/** Flat, so that each field's error reaches its field in the form. */
export const ZUpdateSendingIdentity = ZFieldsObject.extend({ identityId: ZIdentityId }).refine(windowEnds, windowError);
export const ZSendingIdentityRef = z.object({ identityId: ZIdentityId });

/** Minutes after midnight as the time field shows them. */
export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
