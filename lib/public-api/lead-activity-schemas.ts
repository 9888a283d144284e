import { z } from "zod";
import { ACTIVITY_TYPES } from "@/db/schema/lead-activities";
import { ZAddNote } from "@/lib/leads/schemas";
import { isoDateTime } from "./schema-parts";

/** The REST API's schemas of a lead's timeline (the lead page's) and of a note added to it. */

export const ZLeadActivityQuery = z
  .strictObject({
    cursor: z
      .string()
      .min(1, "Leave the parameter out rather than empty.")
      .max(200, "Use the `nextCursor` of the previous page.")
      .optional()
      .meta({ description: "`nextCursor` of the previous page, for older entries." }),
  })
  .meta({ id: "LeadActivityQuery" });

export const ZLeadActivity = z
  .object({
    id: z.uuid(),
    type: z.enum(ACTIVITY_TYPES),
    actorId: z.uuid().nullable().meta({ description: "The member who did it; null when the app or a vendor did." }),
    actor: z.string().meta({ description: "Who did it, in words (a member's name, “The system”, “A former member”)." }),
    summary: z.string().meta({ description: "What happened, in words, as the lead page's timeline says it." }),
    body: z.string().nullable().meta({ description: "A note's or a reply's text, as plain text; null for other entries." }),
    payload: z.record(z.string(), z.unknown()).meta({ description: "The entry's details, by type (before/after of a change, …)." }),
    createdAt: isoDateTime,
  })
  .meta({ id: "LeadActivity" });

export const ZLeadActivityList = z
  .object({
    data: z.array(ZLeadActivity),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for older entries; null on the oldest page." }),
  })
  .meta({ id: "LeadActivityList" });

export const ZLeadNoteBody = z
  .strictObject({ body: ZAddNote.shape.body.meta({ description: "The note, as plain text (at most 5,000 characters)." }) })
  .meta({ id: "LeadNote" });

export const ZLeadActivityResponse = z.object({ data: ZLeadActivity }).meta({ id: "LeadActivityResponse" });
