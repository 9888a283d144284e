import { z } from "zod";
import { SUPPRESSION_KINDS, SUPPRESSION_REASONS } from "@/db/schema/campaign-enums";
import { decodeInstantIdCursor, isUuid } from "@/lib/db-values/instant-id-cursor";
import { ZAddSuppression } from "@/lib/suppressions/schemas";

/** The REST API's suppression list schemas: the Settings → Suppression page's search and pages. */
export const ZSuppressionListQuery = z
  .strictObject({
    q: z.string().trim().min(1).max(320).optional().meta({ description: "Only entries containing this text (any case)." }),
    after: z
      .string()
      .max(200)
      // An entry's id is what `nextAfter` was before the cursor: a sync that kept one goes on.
      .refine(
        (cursor) => decodeInstantIdCursor(cursor) !== null || isUuid(cursor),
        "Use the `nextAfter` of the previous page, as it was given.",
      )
      .optional()
      .meta({ description: "`nextAfter` of the previous page." }),
  })
  .meta({ id: "SuppressionListQuery" });

export const ZSuppression = z
  .object({
    id: z.uuid(),
    kind: z.enum(SUPPRESSION_KINDS),
    value: z.string().meta({ description: "An address, or a whole domain (kind `domain`), lower-cased." }),
    reason: z.enum(SUPPRESSION_REASONS),
    note: z.string().nullable(),
    createdAt: z.string().meta({ format: "date-time" }),
    createdByName: z.string().nullable(),
  })
  .meta({ id: "Suppression" });

export const ZSuppressionList = z
  .object({
    data: z.array(ZSuppression),
    total: z.number().int().meta({ description: "Entries matching `q` (all of them without it)." }),
    nextAfter: z.string().nullable().meta({ description: "Pass as `after` for the next page (an opaque cursor); null on the last." }),
  })
  .meta({ id: "SuppressionList" });

export const ZSuppressionResponse = z.object({ data: ZSuppression }).meta({ id: "SuppressionResponse" });

export const ZSuppressionCreateBody = z
  .strictObject({
    value: ZAddSuppression.shape.value.meta({
      description: "An email address, or a whole domain (`example.com` or `@example.com`); stored lower-cased.",
    }),
    note: ZAddSuppression.shape.note.meta({ description: "Why, for the people who read the list." }),
    confirmBroad: ZAddSuppression.shape.confirmBroad.meta({
      description:
        "Must be true to suppress a free email provider's whole domain (`gmail.com`) or a domain the workspace sends from: refused with 422 on `confirmBroad` otherwise, since that stops every email to far more than one company.",
    }),
  })
  .meta({ id: "SuppressionCreate", description: "An address or a domain campaigns must never email." });

export const ZSuppressionIdParams = z.object({ id: z.uuid().meta({ description: "The entry's id." }) });
