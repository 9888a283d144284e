import { z } from "zod";
import { REPLY_CATEGORIES } from "./reply-categories";

export const ZClassificationId = z.uuid("That reply is not valid. Reload the page.");

/**
 * A person's reading of a reply as the lead page's form sends it (empty fields are empty
 * strings). The service keeps the return date for an absence and the person for a wrong
 * person only. Browser-safe.
 */
export const ZHandReading = z.object({
  classificationId: ZClassificationId,
  category: z.enum(REPLY_CATEGORIES, "Choose what the reply says."),
  returnDate: z
    .union([z.literal(""), z.iso.date("Give the return date as a date, for example 2027-01-12.")])
    .optional()
    .transform((v) => v || null),
  referralName: z
    .string()
    .trim()
    .max(200, "Keep the name under 200 characters.")
    .optional()
    .transform((v) => v || null),
  referralEmail: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.union([z.literal(""), z.email("That email address is not valid.").max(320, "That email address is too long.")]))
    .optional()
    .transform((v) => v || null),
});
export type HandReadingInput = z.input<typeof ZHandReading>;
