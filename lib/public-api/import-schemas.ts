import { z } from "zod";
import { IMPORT_OUTCOMES_NOT_WRITTEN, IMPORT_STATUSES } from "@/db/schema/lead-import-enums";
import { PRESET_IDS } from "@/lib/imports/presets/preset";
import { ZImportMapping, ZImportRules } from "@/lib/imports/types";

/**
 * The REST API's import schemas: an upload started with a mapping or a preset (the mapping
 * page's choices), its progress (what the import's page polls) and its skipped and failed rows.
 */

/** A form field holding JSON: parsed, then checked with `schema`; a field that is no JSON names itself. */
const jsonField = <S extends z.ZodType>(schema: S, example: string) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: `Not JSON: send it as JSON text, like ${example}.` });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const ZImportUploadFields = z
  .strictObject({
    preset: z.enum(PRESET_IDS).optional().meta({
      description:
        "Map the file's columns as this export's preset does (the mapping page's choice). Without `mapping` or `preset`, the preset is detected from the header.",
    }),
    mapping: jsonField(ZImportMapping, '{"columns":[{"kind":"field","field":"email"},{"kind":"ignore"}]}')
      .optional()
      .meta({ description: "JSON: one target per column of the file, in header order (`field`, `custom` or `ignore`)." }),
    rules: jsonField(ZImportRules, '{"onMatch":"skip","owner":{"kind":"none"},"tags":[]}').optional().meta({
      description:
        "JSON: what to do with rows matching a lead (`onMatch`), who owns the new leads, tags for all. By default: skip matches, the key's creator owns them.",
    }),
  })
  .refine((f) => !(f.preset && f.mapping), { path: ["mapping"], message: "Send a mapping or a preset, not both." });

export const ZImportUpload = z
  .object({
    file: z
      .string()
      .meta({ format: "binary", description: "The CSV file (UTF-8, UTF-16 or Windows-1252; comma, semicolon, tab or pipe)." }),
    preset: z.enum(PRESET_IDS).optional(),
    mapping: z.string().optional().meta({ description: "JSON of the mapping (see the Import schemas)." }),
    rules: z.string().optional().meta({ description: "JSON of the rules." }),
  })
  .meta({ id: "ImportUpload", description: "A CSV file and how to import it." });

export const ZImportIdParams = z.object({ id: z.uuid().meta({ description: "The import's id." }) });

const isoDateTime = z.string().meta({ format: "date-time" });

export const ZImportProgress = z
  .object({
    id: z.uuid(),
    status: z.enum(IMPORT_STATUSES),
    totalRows: z.number().int(),
    processedRows: z.number().int().meta({ description: "Rows done so far: inserted + updated + skipped + failed." }),
    inserted: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    companiesCreated: z.number().int(),
    error: z.string().nullable().meta({ description: "Why the import stopped, when it failed." }),
    startedAt: isoDateTime.nullable(),
    finishedAt: isoDateTime.nullable(),
  })
  .meta({ id: "ImportProgress" });

export const ZImportResponse = z.object({ data: ZImportProgress }).meta({ id: "ImportResponse" });

export const ZImportIssuesQuery = z
  .strictObject({
    outcome: z
      .enum(IMPORT_OUTCOMES_NOT_WRITTEN)
      .optional()
      .meta({ description: "Only the failed rows, or only the skipped ones (both by default)." }),
    // A row number is a PostgreSQL integer: a larger `after` is refused by name rather than failing in the database.
    after: z.coerce.number().int().min(0).max(2_147_483_647).optional().meta({ description: "`nextAfter` of the previous page." }),
  })
  .meta({ id: "ImportIssuesQuery" });

export const ZImportIssues = z
  .object({
    data: z.array(
      z
        .object({
          rowNumber: z.number().int().meta({ description: "The row in the file, from 1 (the header not counted)." }),
          outcome: z.enum(IMPORT_OUTCOMES_NOT_WRITTEN),
          reason: z.string(),
          message: z.string(),
          fields: z.record(z.string(), z.string()).nullable().meta({ description: "The row's values by the file's column names." }),
        })
        .meta({ id: "ImportIssue" }),
    ),
    nextAfter: z.number().int().nullable().meta({ description: "Pass as `after` for the next page; null on the last." }),
  })
  .meta({ id: "ImportIssues" });
