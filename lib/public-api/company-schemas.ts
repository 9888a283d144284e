import { z } from "zod";
import { LEAD_STATUSES } from "@/db/schema/lead-enums";
import { COMPANY_LIST_PARAM_SCHEMAS } from "@/lib/companies/list-state";
import { COMPANY_FIELD_SCHEMAS } from "@/lib/companies/schemas";
import { isoDateTime, nullableText, optionalFields } from "./schema-parts";

/** The REST API's company schemas, from the ones the company list parses its URL with. Strict, as the leads'. */

const DESCRIPTIONS: Record<keyof typeof COMPANY_LIST_PARAM_SCHEMAS, string> = {
  q: "A fragment of the name or domain, in any case, with or without accents.",
  sort: "Column to sort by; ties are broken by id.",
  dir: "Sort direction.",
  pageSize: "Companies per page: 25, 50 (default) or 100.",
  cursor: "`nextCursor` (or `prevCursor` with `before=1`) of the previous page.",
  before: "`1` pages backwards from `cursor`.",
};

export const ZCompanyListQuery = z
  .strictObject(optionalFields(COMPANY_LIST_PARAM_SCHEMAS, (name) => DESCRIPTIONS[name]))
  .meta({ id: "CompanyListQuery" });

export const ZCompanyIdParams = z.object({ id: z.uuid().meta({ description: "The company's id." }) });

export const ZCompanyCreateBody = z
  .strictObject(COMPANY_FIELD_SCHEMAS)
  .meta({ id: "CompanyCreate", description: "A new company: a name, and its domain so leads with an email there join it." });

export const ZCompanyUpdateBody = z
  .strictObject(optionalFields(COMPANY_FIELD_SCHEMAS))
  .meta({ id: "CompanyUpdate", description: "The fields to change; a field left out stays as it is, null clears it." });

export const ZCompanyListItem = z
  .object({
    id: z.uuid(),
    name: z.string(),
    domain: nullableText,
    industry: nullableText,
    employeeCount: z.number().int().nullable(),
    country: nullableText,
    city: nullableText,
    leadCount: z.number().int(),
    sampleData: z.boolean().meta({ description: "A vendor's sandbox invented the company (sample data, never from a real key)." }),
    createdAt: isoDateTime,
  })
  .meta({ id: "CompanyListItem" });

export const ZCompanyList = z
  .object({
    data: z.array(ZCompanyListItem),
    nextCursor: z.string().nullable(),
    prevCursor: z.string().nullable(),
    total: z.object({ kind: z.enum(["exact", "estimate"]), value: z.number().int() }),
  })
  .meta({ id: "CompanyList" });

export const ZCompany = z
  .object({
    id: z.uuid(),
    name: z.string(),
    domain: nullableText,
    website: nullableText,
    linkedinUrl: nullableText,
    industry: nullableText,
    employeeCount: z.number().int().nullable(),
    annualRevenue: z.number().nullable(),
    country: nullableText,
    city: nullableText,
    description: nullableText,
    sampleData: z.boolean().meta({ description: "A vendor's sandbox invented the company (sample data, never from a real key)." }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    leadCount: z.number().int(),
    leadsByStatus: z.object(Object.fromEntries(LEAD_STATUSES.map((s) => [s, z.number().int()]))),
  })
  .meta({ id: "Company" });

export const ZCompanyResponse = z.object({ data: ZCompany }).meta({ id: "CompanyResponse" });
