import { z } from "zod";
import { EMAIL_STATUSES, LEAD_SAMPLE_DATA, LEAD_SOURCES, LEAD_STATUSES } from "@/db/schema/lead-enums";
import { LEAD_LIST_PARAM_SCHEMAS } from "@/lib/leads/list-state";
import { hasLeadIdentity, LEAD_FIELD_SCHEMAS, LEAD_IDENTITY_MESSAGE, ZChangeOwner, ZChangeStatus, ZCompanyLink } from "@/lib/leads/schemas";
import { isoDateTime, nullableText, optionalFields } from "./schema-parts";

/**
 * The REST API's lead schemas, built from the ones the lead table and the lead forms parse with,
 * so the API takes exactly what the UI takes. Strict: a field nobody knows is refused, so a typo
 * surfaces instead of being ignored. The OpenAPI document is generated from these.
 */

const { columns: _columns, ...listParams } = LEAD_LIST_PARAM_SCHEMAS;

const LIST_PARAM_DESCRIPTIONS: Partial<Record<keyof typeof listParams, string>> = {
  q: "Search in names, email, title and company (every word must match).",
  status: "Comma-separated statuses.",
  owner: "Comma-separated member user ids; `me` is the key's creator, `unassigned` leads without an owner.",
  source: "Comma-separated sources.",
  tags: "Comma-separated tags.",
  tagMode: "Whether a lead needs any (default) or all of the tags.",
  scoreMin: "Lowest score (0–100).",
  scoreMax: "Highest score (0–100).",
  hasEmail: "`yes` or `no`.",
  emailStatus: "Comma-separated email statuses.",
  sizeMin: "The company's smallest employee count.",
  sizeMax: "The company's largest employee count.",
  createdFrom: "First day (YYYY-MM-DD, in `tz`) a lead was created on.",
  createdTo: "Last day (YYYY-MM-DD, in `tz`) a lead was created on.",
  industry: "Comma-separated company industries.",
  country: "Comma-separated countries.",
  activityFrom: "First day (YYYY-MM-DD, in `tz`) of the last activity.",
  activityTo: "Last day (YYYY-MM-DD, in `tz`) of the last activity.",
  tz: "IANA time zone for the day ranges (default UTC).",
  deleted: "`1` lists the deleted leads instead of the live ones.",
  sort: "Column to sort by; ties are broken by id.",
  dir: "Sort direction.",
  pageSize: "Leads per page: 25, 50 (default) or 100.",
  cursor: "`nextCursor` (or `prevCursor` with `before=1`) of the previous page.",
  before: "`1` pages backwards from `cursor`.",
};

export const ZLeadListQuery = z
  .strictObject(optionalFields(listParams, (name) => LIST_PARAM_DESCRIPTIONS[name] ?? name))
  .meta({ id: "LeadListQuery" });

export const ZLeadIdParams = z.object({ id: z.uuid().meta({ description: "The lead's id." }) });

const fields = LEAD_FIELD_SCHEMAS;

const ZLeadCompanyId = ZCompanyLink.optional().meta({
  description: "The company the lead works at: one of the workspace's companies (`GET /companies`), or null for none.",
});

export const ZLeadCreateBody = z
  .strictObject({
    ...fields,
    companyId: ZLeadCompanyId.meta({
      description: "The company the lead works at (`GET /companies`); left out, the company whose domain is the email's, if any.",
    }),
  })
  .refine(hasLeadIdentity, { path: ["firstName"], message: LEAD_IDENTITY_MESSAGE })
  .meta({ id: "LeadCreate", description: "A new lead. It needs a name, an email address or a LinkedIn URL." });

export const ZLeadUpdateBody = z
  .strictObject({
    version: z.string().min(1).max(64).optional().meta({
      description: "The lead's `version` as you read it: when someone changed it since, nothing is saved (409). Leave out to overwrite.",
    }),
    ...optionalFields(fields),
    companyId: ZLeadCompanyId,
    status: ZChangeStatus.shape.status.optional().meta({
      description: "Moves the lead along its pipeline, as the lead page's status menu does (a `status_changed` on its timeline).",
    }),
    ownerId: ZChangeOwner.shape.ownerId.optional().meta({
      description:
        "A member's user id, or null for unassigned, as the lead page's owner menu: a manager or admin key gives any lead to anyone; a sales rep's key takes an unassigned lead or gives its own back.",
    }),
  })
  .meta({ id: "LeadUpdate", description: "The fields to change; a field left out stays as it is, null clears it." });

const sampleData = z.enum(LEAD_SAMPLE_DATA).nullable().meta({
  description:
    "Sample data from a vendor's sandbox (never set by a real key): `lead` when a sandbox invented the lead, `values` when it wrote some of a real lead's values; null otherwise.",
});

export const ZLead = z
  .object({
    id: z.uuid(),
    firstName: nullableText,
    lastName: nullableText,
    email: nullableText,
    emailStatus: z.enum(EMAIL_STATUSES),
    emailVerifiedAt: isoDateTime.nullable(),
    title: nullableText,
    seniority: nullableText,
    department: nullableText,
    phone: nullableText,
    linkedinUrl: nullableText,
    city: nullableText,
    country: nullableText,
    timeZone: nullableText,
    companyId: z.uuid().nullable(),
    companyName: nullableText,
    ownerId: z.uuid().nullable(),
    status: z.enum(LEAD_STATUSES),
    score: z.number().int(),
    source: z.enum(LEAD_SOURCES),
    sampleData,
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    enrichment: z.record(z.string(), z.unknown()),
    lastActivityAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    createdBy: z.uuid().nullable(),
    updatedAt: isoDateTime,
    version: z.string().meta({ description: "Send back as `version` in an update to refuse overwriting someone else's change." }),
    deletedAt: isoDateTime.nullable(),
    deletedBy: z.uuid().nullable(),
  })
  .meta({ id: "Lead" });

export const ZLeadListItem = z
  .object({
    id: z.uuid(),
    firstName: nullableText,
    lastName: nullableText,
    title: nullableText,
    companyId: z.uuid().nullable(),
    companyName: nullableText,
    email: nullableText,
    emailStatus: z.enum(EMAIL_STATUSES),
    status: z.enum(LEAD_STATUSES),
    ownerId: z.uuid().nullable(),
    ownerName: nullableText,
    score: z.number().int(),
    fitScore: z.number().int().nullable().meta({ description: "The AI enrichment's ideal-customer fit (0–100), when scored." }),
    icebreaker: nullableText.meta({ description: "The AI enrichment's opening line, when written." }),
    source: z.enum(LEAD_SOURCES),
    sampleData,
    tags: z.array(z.string()),
    lastActivityAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    deletedAt: isoDateTime.nullable(),
  })
  .meta({ id: "LeadListItem" });

export const ZLeadList = z
  .object({
    data: z.array(ZLeadListItem),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last." }),
    prevCursor: z.string().nullable().meta({ description: "Pass as `cursor` with `before=1` for the previous page; null on the first." }),
    total: z
      .object({ kind: z.enum(["exact", "estimate"]), value: z.number().int() })
      .meta({ description: "How many leads match: exact when counting was cheap, else the planner's estimate." }),
  })
  .meta({ id: "LeadList" });

export const ZLeadResponse = z.object({ data: ZLead }).meta({ id: "LeadResponse" });
