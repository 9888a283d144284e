import { z } from "zod";
import { SUPPRESSION_NOTE_MAX, SUPPRESSION_VALUE_MAX } from "./normalise";

/** The Settings → Suppression forms' inputs (browser-safe: the forms check the same). */
export const ZAddSuppression = z.object({
  value: z
    .string()
    .trim()
    .min(1, "Give an email address or a domain.")
    .max(SUPPRESSION_VALUE_MAX, `At most ${SUPPRESSION_VALUE_MAX} characters.`),
  note: z.string().trim().max(SUPPRESSION_NOTE_MAX, `At most ${SUPPRESSION_NOTE_MAX} characters.`).optional(),
  /** The person confirmed a domain that reaches far more than one company (a free-mail provider, their own). */
  confirmBroad: z.boolean().optional(),
});

export const ZRemoveSuppression = z.object({ id: z.uuid() });

/**
 * A server action's body is capped at 1 MB (next.config.ts keeps the default): the file's text
 * must leave room for the rest. 900 kB is about 30,000 addresses, past the 10,000 rows one
 * import takes anyway.
 */
export const SUPPRESSION_FILE_MAX_CHARS = 900_000;

export const ZImportSuppressions = z.object({
  fileName: z.string().max(255),
  text: z
    .string()
    .min(1, "The file is empty.")
    .max(SUPPRESSION_FILE_MAX_CHARS, "The file is too large (at most 900 kB): split it and upload each part."),
});
