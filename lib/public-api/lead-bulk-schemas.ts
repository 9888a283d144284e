import { z } from "zod";
import {
  BULK_LEAD_NUMBER_FIELDS,
  BULK_LEAD_TEXT_FIELDS,
  BULK_UPSERT_MAX_CUSTOM_FIELDS,
  BULK_UPSERT_MAX_LEADS,
} from "@/lib/imports/bulk-lead-fields";
import { CUSTOM_FIELD_KEY, MATCH_RULES, ZImportRules } from "@/lib/imports/types";

/**
 * The bulk upsert's schemas (POST /api/v1/leads/bulk). A lead's values are checked here only
 * for their JSON type and a generous size: each is then read as a CSV import reads its cell
 * (lib/imports/map-row.ts), so a bad email or a title too long fails that lead alone, with the
 * import's reason, and the others go in. A field nobody knows refuses the whole call (422).
 */

const TEXT_DESCRIPTIONS: Partial<Record<keyof typeof BULK_LEAD_TEXT_FIELDS, string>> = {
  fullName: "Split into first and last name when those are not sent.",
  email: "Matched to existing leads lower-cased and trimmed.",
  emailStatus: "`valid`, `risky`, `invalid`, `unknown`, or a vendor's word (`Verified`, `Guessed`, …).",
  linkedinUrl: "A profile URL (…/in/<name>), normalised; matched to existing leads after the email.",
  apolloPersonId: "Matched to existing leads after the email.",
  companyWebsite: "The company's domain is taken from it, else from a business email's domain; companies are matched by domain.",
};

const text = z.string().max(10_000);
const NUMBER_ERROR = "Send a number, or null to leave it empty.";

export const ZBulkLead = z
  .strictObject({
    ...(Object.fromEntries(
      Object.keys(BULK_LEAD_TEXT_FIELDS).map((name) => [
        name,
        text
          .nullable()
          .optional()
          .meta(
            TEXT_DESCRIPTIONS[name as keyof typeof BULK_LEAD_TEXT_FIELDS]
              ? { description: TEXT_DESCRIPTIONS[name as keyof typeof BULK_LEAD_TEXT_FIELDS] }
              : {},
          ),
      ]),
    ) as { [K in keyof typeof BULK_LEAD_TEXT_FIELDS]: z.ZodOptional<z.ZodNullable<z.ZodString>> }),
    ...(Object.fromEntries(
      Object.keys(BULK_LEAD_NUMBER_FIELDS).map((name) => [name, z.number({ error: NUMBER_ERROR }).nullable().optional()]),
    ) as {
      [K in keyof typeof BULK_LEAD_NUMBER_FIELDS]: z.ZodOptional<z.ZodNullable<z.ZodNumber>>;
    }),
    tags: z
      .array(
        z
          .string({ error: "Each tag is a text." })
          .max(50, "A tag has at most 50 characters.")
          .regex(/^[^,;]*$/, "A tag cannot contain a comma or a semicolon."),
      )
      .max(50, "At most 50 tags per lead.")
      .nullable()
      .optional(),
    customFields: z
      .record(
        z.string().regex(CUSTOM_FIELD_KEY, "A custom field name uses lower-case letters, digits and _ and starts with a letter."),
        text.nullable(),
      )
      .nullable()
      .optional()
      .meta({
        description: `At most ${BULK_UPSERT_MAX_CUSTOM_FIELDS} different custom fields between all the leads of a call, as a CSV import's mapping has at most that many columns.`,
      }),
  })
  .meta({
    id: "BulkLead",
    description: "A lead as a CSV import's row would carry it. It needs an email or a LinkedIn URL; left-out fields are empty cells.",
  });

export const ZLeadBulkBody = z
  .strictObject({
    leads: z
      .array(ZBulkLead)
      .min(1, "Send at least one lead.")
      .max(BULK_UPSERT_MAX_LEADS, `At most ${BULK_UPSERT_MAX_LEADS.toLocaleString("en")} leads per call: send the rest in further calls.`),
    onMatch: z.enum(MATCH_RULES).default("overwrite").meta({
      description:
        "A lead matching an existing one (by email, then Apollo id, then LinkedIn URL): `overwrite` takes the values sent (the default), `fill_empty` only fills blank fields, `skip` leaves it alone.",
    }),
    tags: ZImportRules.shape.tags.meta({ description: "Tags every lead of the call gets besides its own." }),
    owner: ZImportRules.shape.owner.optional().meta({
      description: "Who owns the new leads: the key's creator when left out.",
    }),
  })
  .superRefine((body, ctx) => {
    // Every custom field of any lead is a column of the call, with a cell for each of its leads.
    const names = new Set<string>();
    for (const [index, lead] of body.leads.entries()) {
      for (const name of Object.keys(lead.customFields ?? {})) names.add(name);
      if (names.size > BULK_UPSERT_MAX_CUSTOM_FIELDS) {
        ctx.addIssue({
          code: "custom",
          path: ["leads", index, "customFields"],
          message: `The leads of one call carry at most ${BULK_UPSERT_MAX_CUSTOM_FIELDS} different custom fields between them, and this lead goes past it: send it in another call.`,
        });
        return;
      }
    }
  })
  .meta({ id: "LeadBulkUpsert" });

export const ZLeadBulkResult = z
  .object({
    data: z.object({
      importId: z.uuid().meta({ description: "The call is recorded as an import: its skipped and failed rows are on its page." }),
      counts: z.object({
        created: z.number().int(),
        updated: z.number().int(),
        skipped: z.number().int(),
        failed: z.number().int(),
      }),
      companiesCreated: z.number().int(),
      results: z.array(
        z
          .object({
            index: z.number().int().meta({ description: "The lead's position in `leads`, from 0." }),
            outcome: z.enum(["created", "updated", "skipped", "failed"]),
            leadId: z.uuid().nullable().meta({ description: "The lead written, or the existing lead a skipped one matched." }),
            reason: z.string().nullable().meta({
              description:
                "Why a lead was skipped (`duplicate_in_file`: same lead as an earlier one of the call, `exists_skip_rule`, `unchanged`, `not_permitted`, `deleted_lead`, `changed_meanwhile`) or failed (`no_identity`, `invalid_email`, `invalid_linkedin_url`, `invalid_value`, `value_too_long`).",
            }),
            message: z.string().nullable().meta({ description: "The reason in words, naming the field at fault." }),
          })
          .meta({ id: "BulkLeadResult" }),
      ),
    }),
  })
  .meta({ id: "LeadBulkResult" });
