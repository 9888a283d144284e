import { z } from "zod";
import { ZTag } from "@/lib/leads/bulk/schemas";
import { uniqueTags } from "@/lib/leads/bulk/tag-rule";

/**
 * The contract of a CSV import, shared by the upload route, the mapping page, the job and
 * the import pages (browser-safe: no server imports). A mapping says, per column of the
 * file, which lead or company field it fills; the rules say what to do with rows that match
 * an existing lead, who owns the new ones and which tags they get.
 */

/** Fields a column can fill. `full_name` is split into first and last when those are not mapped. */
export const IMPORT_TARGETS = [
  "first_name",
  "last_name",
  "full_name",
  "email",
  "email_status",
  "title",
  "seniority",
  "department",
  "phone",
  "linkedin_url",
  "city",
  "country",
  "time_zone",
  "tags",
  "score",
  "apollo_person_id",
  "company_name",
  "company_website",
  "company_linkedin_url",
  "company_industry",
  "company_employee_count",
  "company_annual_revenue",
  "company_city",
  "company_country",
  "company_description",
  "apollo_organization_id",
] as const;

export type ImportTarget = (typeof IMPORT_TARGETS)[number];

/** Custom field keys as leads.custom_fields holds them: `industry_vertical`, `lead_source_2`. */
export const CUSTOM_FIELD_KEY = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * The mapping and the rules are strict objects, as every input of the REST API (which takes them
 * as JSON): a key nobody knows, like a misspelt rule, is refused rather than silently ignored.
 */
export const ZColumnTarget = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("field"),
    field: z.enum(IMPORT_TARGETS),
    /**
     * Read only when the field's main column (the one without this mark) is blank, and the
     * fallbacks before it too: Apollo's export splits phones into Work Direct, Mobile,
     * Corporate… and a lead keeps one, the first filled.
     */
    fallback: z.literal(true).optional(),
  }),
  z.strictObject({
    kind: z.literal("custom"),
    key: z.string().regex(CUSTOM_FIELD_KEY, "A custom field name uses lower-case letters, digits and _ and starts with a letter."),
  }),
  z.strictObject({ kind: z.literal("ignore") }),
]);

export type ColumnTarget = z.infer<typeof ZColumnTarget>;

/** A mapping names each column, so an upload wider than this could never start (storeUpload refuses it). */
export const IMPORT_MAX_COLUMNS = 500;

/** What a target fills, as one key: `phone`, `custom:lead_source`; null for an ignored column. */
export function targetKey(target: ColumnTarget): string | null {
  return target.kind === "field" ? target.field : target.kind === "custom" ? `custom:${target.key}` : null;
}

/**
 * One target per column of the file, in header order. A field has one main column, and may
 * have fallback columns read in file order when it is blank; two main columns (two `email`
 * columns) would leave it ambiguous which one wins, and so would two for one custom field.
 */
export const ZImportMapping = z
  .strictObject({ columns: z.array(ZColumnTarget).min(1).max(IMPORT_MAX_COLUMNS) })
  .superRefine((mapping, ctx) => {
    const seen = new Map<string, number>();
    mapping.columns.forEach((target, index) => {
      const key = targetKey(target);
      if (!key || (target.kind === "field" && target.fallback)) return;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["columns", index],
          message: `Columns ${first + 1} and ${index + 1} both fill ${key.replace("custom:", "custom field ")}: keep one and ignore the other.`,
        });
      } else seen.set(key, index);
    });
    mapping.columns.forEach((target, index) => {
      if (target.kind === "field" && target.fallback && !seen.has(target.field)) {
        ctx.addIssue({
          code: "custom",
          path: ["columns", index],
          message: `Column ${index + 1} fills ${target.field} when another column is blank, but no column fills ${target.field} first.`,
        });
      }
    });
    if (!mapping.columns.some((t) => t.kind === "field" && !t.fallback && (t.field === "email" || t.field === "linkedin_url"))) {
      ctx.addIssue({
        code: "custom",
        path: ["columns"],
        message: "Map a column to Email or LinkedIn URL: every lead needs one of them.",
      });
    }
  });

export type ImportMapping = z.infer<typeof ZImportMapping>;

/**
 * The mapping with a main column for every field it fills: where a field is left with fallback
 * columns only (its main one set to Ignore, or not in this file), the first of them becomes the main.
 */
export function withMainColumns(columns: readonly ColumnTarget[]): ColumnTarget[] {
  const hasMain = new Set(columns.flatMap((t) => (t.kind === "field" && !t.fallback ? [t.field] : [])));
  return columns.map((target) => {
    if (target.kind !== "field" || !target.fallback || hasMain.has(target.field)) return target;
    hasMain.add(target.field);
    return { kind: "field", field: target.field };
  });
}

/** On a row that matches an existing lead (by email, then Apollo id, then LinkedIn URL). */
export const MATCH_RULES = ["skip", "fill_empty", "overwrite"] as const;
export type MatchRule = (typeof MATCH_RULES)[number];

export const ZImportRules = z.strictObject({
  onMatch: z.enum(MATCH_RULES),
  owner: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("none") }),
    z.strictObject({ kind: z.literal("member"), userId: z.uuid() }),
    z.strictObject({
      kind: z.literal("round_robin"),
      userIds: z.array(z.uuid()).min(1, "Choose at least one member to share the new leads between.").max(100),
    }),
  ]),
  /** Each once whatever its case, as a lead holds them (uniqueTags): "VIP, vip" is one tag. */
  tags: z.array(ZTag).max(20).default([]).transform(uniqueTags),
});

export type ImportRules = z.infer<typeof ZImportRules>;

/**
 * Why a row was skipped or failed (lead_import_issues.reason), with the words the import page
 * and the issues CSV show. Skipped rows were fine but not written; failed rows need fixing.
 */
export const SKIP_REASONS = {
  empty_row: "Empty row",
  duplicate_in_file: "Same lead as an earlier row of this file",
  exists_skip_rule: "Lead already exists (rule: skip)",
  unchanged: "Lead already exists with these values",
  not_permitted: "Lead already exists and belongs to another rep",
  deleted_lead: "Lead was deleted: restore it to import into it",
  changed_meanwhile: "Lead was added by someone else during the import",
} as const;

export const FAIL_REASONS = {
  malformed_row: "Row has a different number of columns than the header",
  unclosed_quote: "A quoted value is never closed",
  no_identity: "No email and no LinkedIn URL",
  invalid_email: "Email is not a valid address",
  invalid_linkedin_url: "LinkedIn URL is not a profile URL",
  invalid_value: "A value is not valid for its field",
  value_too_long: "A value is too long",
  not_found_in_apollo: "Apollo found nobody for this person's id",
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;
export type FailReason = keyof typeof FAIL_REASONS;

/** Limits of one upload (the route refuses more before reading it whole). */
export const IMPORT_MAX_BYTES = 300 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 1_000_000;
