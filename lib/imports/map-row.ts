import { z } from "zod";
import type { EmailStatus } from "@/db/schema/lead-enums";
import { hasTag, tagProblem } from "@/lib/leads/bulk/tag-rule";
import { isIanaTimeZone, LEAD_TEXT_LIMITS } from "@/lib/leads/field-limits";
import { emailDomain, normalizeDomain, normalizeLinkedInUrl } from "@/lib/leads/normalize";
import { isFreeMailDomain } from "@/lib/email/free-mail";
import { isPageHost } from "@/lib/companies/page-hosts";
import { FAIL_REASONS, type FailReason, type ImportMapping, type ImportTarget } from "./types";

/**
 * One row of a CSV file as it will land: the lead and company it describes, or why it will
 * not (an empty row is skipped; a row with a bad value fails, naming the column). Pure and
 * browser-safe: the import job maps every row with it, and the mapping page previews the
 * first rows with the same marks, so what the preview shows is what the import does.
 *
 * Values are stored as text, as typed (trimmed): a formula-looking value (`=HYPERLINK(…)`)
 * or HTML is kept; the exports neutralise formulas and the UI never renders HTML.
 */

export type MappedCompany = {
  name: string | null;
  /** From the website column, else from a business email's domain; never a free-mail domain. */
  domain: string | null;
  website: string | null;
  linkedinUrl: string | null;
  industry: string | null;
  employeeCount: number | null;
  annualRevenue: number | null;
  city: string | null;
  country: string | null;
  description: string | null;
  apolloOrganizationId: string | null;
};

export type MappedLead = {
  firstName: string | null;
  lastName: string | null;
  /** Trimmed, case kept (lib/leads/normalize.ts). */
  email: string | null;
  /** Null when the file says nothing (the lead keeps or defaults to `unknown`). */
  emailStatus: EmailStatus | null;
  title: string | null;
  seniority: string | null;
  department: string | null;
  phone: string | null;
  /** Normalised `https://www.linkedin.com/in/<slug>`. */
  linkedinUrl: string | null;
  city: string | null;
  country: string | null;
  timeZone: string | null;
  /** Each once, in file order. */
  tags: string[];
  score: number | null;
  apolloPersonId: string | null;
  customFields: Record<string, string>;
  /** Null when no column says anything about the company. */
  company: MappedCompany | null;
};

/** What the preview shows on a cell: an error fails the row; a note says how the value was read. */
export type CellMark = { column: number; level: "error" | "note"; message: string };

export type MappedRow =
  | { kind: "lead"; lead: MappedLead; marks: CellMark[] }
  | { kind: "skipped"; reason: "empty_row"; detail: string; marks: CellMark[] }
  | { kind: "failed"; reason: FailReason; detail: string; marks: CellMark[] };

const TEXT_LIMITS: Partial<Record<ImportTarget, number>> = {
  first_name: LEAD_TEXT_LIMITS.firstName,
  last_name: LEAD_TEXT_LIMITS.lastName,
  full_name: LEAD_TEXT_LIMITS.firstName + LEAD_TEXT_LIMITS.lastName + 1,
  email: LEAD_TEXT_LIMITS.email,
  title: LEAD_TEXT_LIMITS.title,
  seniority: LEAD_TEXT_LIMITS.seniority,
  department: LEAD_TEXT_LIMITS.department,
  phone: LEAD_TEXT_LIMITS.phone,
  linkedin_url: LEAD_TEXT_LIMITS.linkedinUrl,
  city: LEAD_TEXT_LIMITS.city,
  country: LEAD_TEXT_LIMITS.country,
  time_zone: LEAD_TEXT_LIMITS.timeZone,
  tags: 3_000,
  score: 20,
  apollo_person_id: 100,
  email_status: 60,
  company_name: 300,
  company_website: 500,
  company_linkedin_url: 500,
  company_industry: 200,
  company_employee_count: 20,
  company_annual_revenue: 30,
  company_city: 100,
  company_country: 100,
  company_description: 5_000,
  apollo_organization_id: 100,
};
/** A custom field's value (leads.custom_fields): generous, but a cell is not a document. */
export const CUSTOM_FIELD_MAX = 2_000;
const MAX_TAGS = 50;

const EMAIL = z.regexes.email;

/**
 * Apollo's `Email Status` (and similar vendor words) → ours. Apollo says `Verified`; `Guessed`,
 * `Extrapolated`, `Likely to engage`, `Unverified` and catch-all addresses may bounce; `Bounced`
 * did; `Unavailable` or anything else tells us nothing.
 */
const EMAIL_STATUS_WORDS: Record<string, EmailStatus> = {
  verified: "valid",
  valid: "valid",
  deliverable: "valid",
  guessed: "risky",
  extrapolated: "risky",
  "likely to engage": "risky",
  likely_to_engage: "risky",
  unverified: "risky",
  "catch-all": "risky",
  catch_all: "risky",
  "accept all": "risky",
  accept_all: "risky",
  risky: "risky",
  bounced: "invalid",
  invalid: "invalid",
  undeliverable: "invalid",
  unavailable: "unknown",
  unknown: "unknown",
  pending_manual_fulfillment: "unknown",
};

export function toEmailStatus(raw: string): EmailStatus {
  const word = raw.trim().toLowerCase().replace(/\s+/g, " ");
  // Own words only: a cell saying `constructor` or `__proto__` is not a word of the table's prototype.
  return Object.hasOwn(EMAIL_STATUS_WORDS, word) ? EMAIL_STATUS_WORDS[word]! : "unknown";
}

/** Per field, its main column and then its fallbacks, in file order. */
type Compiled = { field: Map<ImportTarget, number[]>; custom: [number, string][]; labels: string[] };
const compiledMappings = new WeakMap<ImportMapping, { headers: readonly string[] | undefined; compiled: Compiled }>();

/** Columns per target, worked out once per mapping (the job maps a million rows with one). */
function compile(mapping: ImportMapping, headers: readonly string[] | undefined): Compiled {
  const cached = compiledMappings.get(mapping);
  if (cached && cached.headers === headers) return cached.compiled;
  const field = new Map<ImportTarget, number[]>();
  const custom: [number, string][] = [];
  mapping.columns.forEach((target, index) => {
    if (target.kind === "field") {
      const columns = field.get(target.field) ?? [];
      if (target.fallback) columns.push(index);
      else columns.unshift(index);
      field.set(target.field, columns);
    } else if (target.kind === "custom") custom.push([index, target.key]);
  });
  const labels = mapping.columns.map((_, i) => {
    const header = headers?.[i]?.trim();
    return header ? `"${header}"` : `Column ${i + 1}`;
  });
  const compiled = { field, custom, labels };
  compiledMappings.set(mapping, { headers, compiled });
  return compiled;
}

/** A failure to report: the first one (in column order) becomes the row's reason. */
type Problem = { column: number | null; reason: FailReason; detail: string };

/**
 * Maps one row. `headers` (the file's header row) names columns in the details
 * (`"Work Email" is not an email address`); without it they are numbered.
 */
export function mapRow(fields: readonly string[], mapping: ImportMapping, headers?: readonly string[]): MappedRow {
  const c = compile(mapping, headers);
  const marks: CellMark[] = [];
  const problems: Problem[] = [];

  if (fields.every((f) => f.trim() === "")) {
    return { kind: "skipped", reason: "empty_row", detail: "Every value of the row is blank.", marks };
  }
  // Its values cannot be told apart (a delimiter inside an unquoted value): the upload fails it
  // in these words (store-upload.ts), and the preview must say the same of it.
  if (headers && fields.length !== headers.length) {
    const detail = `${FAIL_REASONS.malformed_row}: it has ${fields.length} values, the header has ${headers.length} columns.`;
    return { kind: "failed", reason: "malformed_row", detail, marks };
  }

  const fail = (column: number | null, reason: FailReason, detail: string) => {
    problems.push({ column, reason, detail });
    if (column !== null) marks.push({ column, level: "error", message: detail });
  };
  const note = (column: number, message: string) => marks.push({ column, level: "note", message });

  /** The column each target's value came from: its main column, or the fallback that was filled. */
  const source = new Map<ImportTarget, number>();
  /**
   * The trimmed value of the first filled column mapped to `target` (its main column, then its
   * fallbacks), null when they are blank or unmapped, or when the main column's value is too long
   * (the row fails). A fallback's value that is too long is passed over for the next one: a
   * column the file's main one leaves blank only now and then must not fail rows it never named.
   */
  const text = (target: ImportTarget): string | null => {
    const columns = c.field.get(target);
    if (columns === undefined) return null;
    const marked = source.has(target); // text() may read a field twice: its notes once
    const max = TEXT_LIMITS[target];
    const main = columns[0]!;
    const filled = columns.filter((i) => (fields[i] ?? "").trim() !== "");
    const usable = filled.filter((i) => i === main || max === undefined || fields[i]!.trim().length <= max);
    const column = usable[0] ?? main;
    source.set(target, column);
    if (columns.length > 1 && !marked) {
      // The preview shows every mapped column: say which of a field's columns its value is from.
      if (column !== main && usable.length > 0) note(column, `Used because ${c.labels[main]} is blank.`);
      for (const other of filled) {
        if (other === column) continue;
        if (!usable.includes(other)) note(other, `Not used: too long (at most ${max!.toLocaleString("en-US")} characters).`);
        else note(other, `Not used: ${c.labels[column]} has a value.`);
      }
    }
    const value = (fields[column] ?? "").trim();
    if (value === "") return null;
    if (max !== undefined && value.length > max) {
      fail(column, "value_too_long", `${c.labels[column]} is too long: at most ${max.toLocaleString("en-US")} characters.`);
      return null;
    }
    return value;
  };
  const col = (target: ImportTarget) => source.get(target) ?? c.field.get(target)?.[0] ?? -1;

  let firstName = text("first_name");
  let lastName = text("last_name");
  const fullName = text("full_name");
  if (fullName && !firstName && !lastName) {
    const space = fullName.search(/\s/);
    firstName = space < 0 ? fullName : fullName.slice(0, space);
    lastName = space < 0 ? null : fullName.slice(space + 1).trim() || null;
    if (firstName.length > LEAD_TEXT_LIMITS.firstName || (lastName?.length ?? 0) > LEAD_TEXT_LIMITS.lastName) {
      fail(col("full_name"), "value_too_long", `${c.labels[col("full_name")]} is too long for a first and last name.`);
    } else note(col("full_name"), lastName ? `First name "${firstName}", last name "${lastName}".` : `First name "${firstName}".`);
  }

  let email = text("email");
  if (email !== null && !EMAIL.test(email)) {
    fail(col("email"), "invalid_email", `${c.labels[col("email")]} is not an email address.`);
    email = null;
  }

  const rawStatus = text("email_status");
  const emailStatus = email && rawStatus ? toEmailStatus(rawStatus) : null;

  const rawLinkedIn = text("linkedin_url");
  let linkedinUrl: string | null = null;
  if (rawLinkedIn !== null) {
    linkedinUrl = normalizeLinkedInUrl(rawLinkedIn);
    if (!linkedinUrl) {
      fail(
        col("linkedin_url"),
        "invalid_linkedin_url",
        `${c.labels[col("linkedin_url")]} is not a LinkedIn profile URL (linkedin.com/in/…).`,
      );
    } else if (linkedinUrl !== rawLinkedIn) note(col("linkedin_url"), `Stored as ${linkedinUrl}.`);
  }

  let phone = text("phone");
  // Spreadsheets (Apollo's export among them) prefix numbers with ' to keep them text.
  if (phone?.startsWith("'")) {
    phone = phone.slice(1).trim() || null;
    note(col("phone"), "Leading apostrophe removed.");
  }

  const timeZone = text("time_zone");
  if (timeZone !== null && !isIanaTimeZone(timeZone)) {
    fail(col("time_zone"), "invalid_value", `${c.labels[col("time_zone")]} is not a time zone like Europe/Paris.`);
  }

  const score = wholeNumber("score", 0, 100, "a score from 0 to 100");

  const tags: string[] = [];
  const rawTags = text("tags");
  if (rawTags !== null) {
    for (const tag of rawTags.split(/[,;]/)) {
      const t = tag.trim();
      // Each once whatever its case, its first spelling kept (tag-rule.ts).
      if (t === "" || hasTag(tags, t)) continue;
      const problem = tagProblem(t);
      if (problem) {
        fail(col("tags"), "value_too_long", `${c.labels[col("tags")]}: ${problem}`);
        break;
      }
      tags.push(t);
    }
    if (tags.length > MAX_TAGS) fail(col("tags"), "invalid_value", `${c.labels[col("tags")]} has more than ${MAX_TAGS} tags.`);
  }

  const customFields: Record<string, string> = {};
  for (const [column, key] of c.custom) {
    const value = (fields[column] ?? "").trim();
    if (value === "") continue;
    if (value.length > CUSTOM_FIELD_MAX) {
      fail(column, "value_too_long", `${c.labels[column]} is too long: at most ${CUSTOM_FIELD_MAX.toLocaleString("en-US")} characters.`);
    } else customFields[key] = value;
  }

  const company = mapCompany();

  const lead: MappedLead = {
    firstName,
    lastName,
    email,
    emailStatus,
    title: text("title"),
    seniority: text("seniority"),
    department: text("department"),
    phone,
    linkedinUrl,
    city: text("city"),
    country: text("country"),
    timeZone,
    tags,
    score,
    apolloPersonId: text("apollo_person_id"),
    customFields,
    company,
  };

  if (problems.length === 0 && !lead.email && !lead.linkedinUrl) {
    const identity = (["email", "linkedin_url"] as const).flatMap((t) => c.field.get(t) ?? []).sort((a, b) => a - b);
    for (const column of identity) marks.push({ column, level: "error", message: "Blank: a lead needs an email or a LinkedIn URL." });
    problems.push({ column: null, reason: "no_identity", detail: "The row has no email and no LinkedIn URL." });
  }
  if (problems.length > 0) {
    const first = problems.reduce((a, b) => ((b.column ?? Infinity) < (a.column ?? Infinity) ? b : a));
    return { kind: "failed", reason: first.reason, detail: first.detail, marks };
  }
  return { kind: "lead", lead, marks };

  /** A whole number (`1,200`, `$5,000,000`, `85.0`), or null when blank; out of range fails. */
  function wholeNumber(target: ImportTarget, min: number, max: number, what: string): number | null {
    const raw = text(target);
    if (raw === null) return null;
    const n = Number(raw.replace(/^\$/, "").replace(/[,\s]/g, ""));
    if (!Number.isInteger(n) || n < min || n > max) {
      fail(col(target), "invalid_value", `${c.labels[col(target)]} is not ${what}.`);
      return null;
    }
    return n;
  }

  function mapCompany(): MappedCompany | null {
    const name = text("company_name");
    let website = text("company_website");
    let linkedinUrl = text("company_linkedin_url");
    let domain: string | null = null;
    // A website on LinkedIn, Facebook…: not the company's site (page-hosts.ts), so not kept as its
    // website either (the company found by the email's domain would take it); a LinkedIn company
    // page is its LinkedIn URL when the file gives none.
    let pageHost: string | null = null;
    let keptAsLinkedIn = false;
    if (website !== null) {
      domain = normalizeDomain(website);
      if (!domain) note(col("company_website"), "Not a web address: the company is found by the email's domain instead.");
      else if (isPageHost(domain)) {
        pageHost = domain;
        keptAsLinkedIn = linkedinUrl === null && /(^|\.)linkedin\.com$/.test(domain);
        if (keptAsLinkedIn) linkedinUrl = website;
        website = null;
        domain = null;
      }
    }
    if (!domain && email) {
      const fromEmail = emailDomain(email);
      if (fromEmail && !isFreeMailDomain(fromEmail)) domain = fromEmail;
    }
    if (pageHost) {
      const found = domain ? "the company is found by the email's domain instead" : "no company domain comes from this row";
      note(
        col("company_website"),
        `A page on ${pageHost}, not the company's own site${keptAsLinkedIn ? " (kept as its LinkedIn URL)" : ""}: ${found}.`,
      );
    }
    if (domain && isFreeMailDomain(domain)) {
      if (website !== null) note(col("company_website"), "A free-mail domain never makes a company.");
      domain = null;
    }
    const company: MappedCompany = {
      name,
      domain,
      website,
      linkedinUrl,
      industry: text("company_industry"),
      employeeCount: wholeNumber("company_employee_count", 0, 2_147_483_647, "a number of employees"),
      annualRevenue: wholeNumber("company_annual_revenue", 0, Number.MAX_SAFE_INTEGER, "an amount in whole dollars"),
      city: text("company_city"),
      country: text("company_country"),
      description: text("company_description"),
      apolloOrganizationId: text("apollo_organization_id"),
    };
    return Object.values(company).some((v) => v !== null) ? company : null;
  }
}
