import { z } from "zod";
import { isIanaTimeZone } from "@/lib/sending-identities/schemas";

/**
 * Browser-safe: the Settings → Sending form checks these before the server checks them again.
 * Rates are typed as percentages ("2" is 2 %) and stored as fractions (0.02).
 */
const ZPercent = (what: string, max: number) =>
  z.coerce
    .number({ message: `Enter the ${what} as a number of percent, like 2.` })
    .refine(Number.isFinite, `Enter the ${what} as a number of percent, like 2.`)
    .min(0.001, `The ${what} must be at least 0.001 %.`)
    .max(max, `The ${what} can be at most ${max} %.`)
    .transform((percent) => Math.round(percent * 1000) / 100_000);

export const ZSendingSettings = z.object({
  timeZone: z
    .string()
    .trim()
    .min(1, "Choose the workspace's time zone.")
    .max(64, "Choose a time zone from the list.")
    .refine(isIanaTimeZone, "Choose a time zone from the list, like Europe/Paris."),
  bounceRatePercent: ZPercent("bounce limit", 50),
  complaintRatePercent: ZPercent("complaint limit", 50),
  breakerMinSends: z.coerce
    .number({ message: "Enter the number of sends as a whole number." })
    .int("Enter the number of sends as a whole number.")
    .min(20, "Judge a campaign after at least 20 sends.")
    .max(100_000, "Use at most 100,000 sends."),
});

/** What the form sends (strings as typed); what the service stores (fractions). */
export type SendingSettingsForm = z.input<typeof ZSendingSettings>;
export type SendingSettingsInput = z.output<typeof ZSendingSettings>;

/** A stored fraction as the form shows it (0.02 → "2"). */
export function percentOf(fraction: number): string {
  return String(Math.round(fraction * 100_000) / 1000);
}
