import { describe, expect, it } from "vitest";
import { isFreeMailDomain } from "@/lib/email/free-mail";
import { mapRow, toEmailStatus } from "./map-row";
import type { ColumnTarget, ImportMapping, ImportTarget } from "./types";

const f = (field: ImportTarget): ColumnTarget => ({ kind: "field", field });
const mappingOf = (...columns: ColumnTarget[]): ImportMapping => ({ columns });

const apollo = mappingOf(
  f("first_name"),
  f("last_name"),
  f("email"),
  f("email_status"),
  f("phone"),
  f("linkedin_url"),
  f("company_name"),
  f("company_website"),
  f("tags"),
  f("score"),
  { kind: "custom", key: "lead_source_2" },
  { kind: "ignore" },
);
const headers = [
  "First Name",
  "Last Name",
  "Work Email",
  "Email Status",
  "Mobile Phone",
  "Person Linkedin Url",
  "Company Name",
  "Website",
  "Lists",
  "Score",
  "Source",
  "Notes",
];
const row = (over: Partial<Record<number, string>> = {}) => {
  const base = [
    "Zoë",
    "Müller",
    " Zoe.Muller@Acme.com ",
    "Verified",
    "'+49 30 1234",
    "linkedin.com/in/Zoe-M/",
    "Acme GmbH",
    "https://www.acme.com/about",
    "vip; event-2026, vip",
    "85",
    "fair",
    "x",
  ];
  for (const [i, v] of Object.entries(over)) base[Number(i)] = v!;
  return base;
};

describe("mapRow", () => {
  it("maps an Apollo row: trimmed email with its case, status, apostrophe phone, LinkedIn, tags, score, custom field, company", () => {
    const result = mapRow(row(), apollo, headers);
    expect(result.kind).toBe("lead");
    if (result.kind !== "lead") return;
    expect(result.lead).toMatchObject({
      firstName: "Zoë",
      lastName: "Müller",
      email: "Zoe.Muller@Acme.com",
      emailStatus: "valid",
      phone: "+49 30 1234",
      linkedinUrl: "https://www.linkedin.com/in/zoe-m",
      tags: ["vip", "event-2026"],
      score: 85,
      customFields: { lead_source_2: "fair" },
      company: { name: "Acme GmbH", domain: "acme.com", website: "https://www.acme.com/about" },
    });
    expect(result.marks).toContainEqual({ column: 4, level: "note", message: "Leading apostrophe removed." });
  });

  it("skips a row whose every value is blank", () => {
    expect(mapRow(["", "  ", "\t", "", "", "", "", "", "", "", "", ""], apollo, headers)).toMatchObject({
      kind: "skipped",
      reason: "empty_row",
    });
  });

  it("fails a bad email naming the column, and marks the cell", () => {
    const result = mapRow(row({ 2: "zoe(at)acme.com" }), apollo, headers);
    expect(result).toMatchObject({ kind: "failed", reason: "invalid_email", detail: '"Work Email" is not an email address.' });
    expect(result.marks).toContainEqual({ column: 2, level: "error", message: '"Work Email" is not an email address.' });
  });

  it("numbers the column when the header is blank or not given", () => {
    expect(mapRow(row({ 2: "nope" }), apollo)).toMatchObject({ detail: "Column 3 is not an email address." });
  });

  it("needs an email or a LinkedIn URL", () => {
    expect(mapRow(row({ 2: "", 5: "" }), apollo, headers)).toMatchObject({ kind: "failed", reason: "no_identity" });
    expect(mapRow(row({ 2: "" }), apollo, headers)).toMatchObject({ kind: "lead", lead: { email: null, emailStatus: null } });
    expect(mapRow(row({ 5: "" }), apollo, headers)).toMatchObject({ kind: "lead", lead: { linkedinUrl: null } });
  });

  it("fails a LinkedIn URL that is not a profile", () => {
    expect(mapRow(row({ 5: "https://www.linkedin.com/company/acme" }), apollo, headers)).toMatchObject({
      kind: "failed",
      reason: "invalid_linkedin_url",
    });
  });

  it("fails values over the lead form's limits", () => {
    expect(mapRow(row({ 0: "a".repeat(101) }), apollo, headers)).toMatchObject({
      kind: "failed",
      reason: "value_too_long",
      detail: '"First Name" is too long: at most 100 characters.',
    });
    expect(mapRow(row({ 8: "ok, " + "t".repeat(51) }), apollo, headers)).toMatchObject({ kind: "failed", reason: "value_too_long" });
    expect(mapRow(row({ 10: "x".repeat(2_001) }), apollo, headers)).toMatchObject({ kind: "failed", reason: "value_too_long" });
  });

  it("reports the first failing column when several fail", () => {
    expect(mapRow(row({ 0: "a".repeat(101), 2: "bad" }), apollo, headers)).toMatchObject({ reason: "value_too_long" });
    const result = mapRow(row({ 2: "bad", 9: "101" }), apollo, headers);
    expect(result).toMatchObject({ reason: "invalid_email" });
    expect(result.marks.filter((m) => m.level === "error").map((m) => m.column)).toEqual([2, 9]);
  });

  it.each([["101"], ["-1"], ["8.5"], ["high"]])("fails score %j", (score) => {
    expect(mapRow(row({ 9: score }), apollo, headers)).toMatchObject({
      kind: "failed",
      reason: "invalid_value",
      detail: '"Score" is not a score from 0 to 100.',
    });
  });

  it("keeps formula-looking values and HTML as typed text", () => {
    const result = mapRow(row({ 0: '=HYPERLINK("http://evil","x")', 1: "<img src=x onerror=alert(1)>" }), apollo, headers);
    expect(result).toMatchObject({
      kind: "lead",
      lead: { firstName: '=HYPERLINK("http://evil","x")', lastName: "<img src=x onerror=alert(1)>" },
    });
  });

  it("splits a full name when first and last are not filled", () => {
    const m = mappingOf(f("full_name"), f("email"));
    expect(mapRow(["  Ana  de la Cruz ", "ana@x.io"], m)).toMatchObject({ lead: { firstName: "Ana", lastName: "de la Cruz" } });
    expect(mapRow(["Cher", "cher@x.io"], m)).toMatchObject({ lead: { firstName: "Cher", lastName: null } });
    const both = mappingOf(f("first_name"), f("full_name"), f("email"));
    expect(mapRow(["Ana", "Ana Lopez", "a@x.io"], both)).toMatchObject({ lead: { firstName: "Ana", lastName: null } });
  });

  it("takes the company domain from a business email when there is no website, never from free mail", () => {
    const m = mappingOf(f("email"), f("company_name"));
    expect(mapRow(["ana@Sales.Acme.io", ""], m)).toMatchObject({ lead: { company: { domain: "sales.acme.io", name: null } } });
    expect(mapRow(["ana@gmail.com", "Acme"], m)).toMatchObject({ lead: { company: { domain: null, name: "Acme" } } });
    expect(mapRow(["ana@gmail.com", ""], m)).toMatchObject({ lead: { company: null } });
    const withSite = mappingOf(f("email"), f("company_website"));
    expect(mapRow(["ana@gmail.com", "yahoo.co.uk"], withSite)).toMatchObject({ lead: { company: { domain: null } } });
    expect(mapRow(["ana@acme.io", "not a site"], withSite)).toMatchObject({
      lead: { company: { domain: "acme.io", website: "not a site" } },
    });
  });

  it("takes a website on LinkedIn, Facebook and the like as no website: the company comes from the email's domain", () => {
    const m = mappingOf(f("email"), f("company_name"), f("company_website"));
    for (const site of ["facebook.com/fjall", "X.com/fjall", "https://www.instagram.com/fjall/"]) {
      const result = mapRow(["asa@fjall.se", "Fjäll AB", site], m);
      expect(result).toMatchObject({
        kind: "lead",
        lead: { company: { name: "Fjäll AB", domain: "fjall.se", website: null, linkedinUrl: null } },
      });
      expect(result.marks).toEqual([
        { column: 2, level: "note", message: expect.stringContaining("not the company's own site: the company is found") },
      ]);
    }
    // A LinkedIn company page is the company's LinkedIn URL, unless the file gives that too.
    for (const site of ["https://www.linkedin.com/company/fjall-ab/", "de.linkedin.com/company/fjall-ab"]) {
      expect(mapRow(["asa@fjall.se", "Fjäll AB", site], m)).toMatchObject({
        lead: { company: { domain: "fjall.se", website: null, linkedinUrl: site } },
        marks: [{ message: expect.stringContaining("(kept as its LinkedIn URL)") }],
      });
    }
    const withLinkedIn = mappingOf(f("email"), f("company_website"), f("company_linkedin_url"));
    expect(mapRow(["asa@fjall.se", "linkedin.com/company/other", "https://linkedin.com/company/fjall"], withLinkedIn)).toMatchObject({
      lead: { company: { website: null, linkedinUrl: "https://linkedin.com/company/fjall" } },
      marks: [{ message: expect.not.stringContaining("kept as its LinkedIn URL") }],
    });
    // Free mail: no domain at all, and the note says so.
    expect(mapRow(["asa@gmail.com", "Fjäll AB", "facebook.com/fjall"], m)).toMatchObject({
      lead: { company: { domain: null, website: null } },
      marks: [{ message: expect.stringContaining("no company domain comes from this row") }],
    });
    // Only those hosts: a company's own domain that merely contains the word is its own.
    expect(mapRow(["asa@fjall.se", "Box", "https://notx.com"], m)).toMatchObject({ lead: { company: { domain: "notx.com" } } });
  });

  it("reads company numbers with separators and fails other text", () => {
    const m = mappingOf(f("email"), f("company_employee_count"), f("company_annual_revenue"));
    expect(mapRow(["a@acme.io", "1,200", "$5,000,000"], m)).toMatchObject({
      lead: { company: { employeeCount: 1200, annualRevenue: 5_000_000 } },
    });
    expect(mapRow(["a@acme.io", "lots", ""], m)).toMatchObject({ kind: "failed", reason: "invalid_value" });
  });

  it("fails a time zone Intl does not know", () => {
    const m = mappingOf(f("email"), f("time_zone"));
    expect(mapRow(["a@acme.io", "Europe/Paris"], m)).toMatchObject({ lead: { timeZone: "Europe/Paris" } });
    expect(mapRow(["a@acme.io", "CET-ish"], m)).toMatchObject({ kind: "failed", reason: "invalid_value" });
  });

  it("fails a row with more or fewer values than the header, in the upload's words (the preview shows what the import does)", () => {
    const tooFew = ["Ana", "Lopez", "ana@acme.io"];
    const tooMany = [...headers.map((_, i) => (i === 2 ? "ana@acme.io" : "")), "extra"];
    for (const fields of [tooFew, tooMany]) {
      expect(mapRow(fields, apollo, headers)).toEqual({
        kind: "failed",
        reason: "malformed_row",
        detail: `Row has a different number of columns than the header: it has ${fields.length} values, the header has ${headers.length} columns.`,
        marks: [],
      });
    }
  });

  it("without the header's names, treats missing trailing fields as blank", () => {
    expect(mapRow(["Ana", "Lopez", "ana@acme.io"], apollo)).toMatchObject({
      kind: "lead",
      lead: { email: "ana@acme.io", tags: [] },
    });
  });
});

describe("toEmailStatus", () => {
  it.each([
    ["Verified", "valid"],
    ["Guessed", "risky"],
    ["Likely to engage", "risky"],
    ["Extrapolated", "risky"],
    ["Catch-all", "risky"],
    ["Bounced", "invalid"],
    ["Unavailable", "unknown"],
    ["something new", "unknown"],
    // Words of every object's prototype are words like any other.
    ["constructor", "unknown"],
    ["toString", "unknown"],
    ["__proto__", "unknown"],
  ])("%s → %s", (raw, status) => {
    expect(toEmailStatus(raw)).toBe(status);
  });
});

describe("isFreeMailDomain", () => {
  it.each([
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "yahoo.co.uk",
    "icloud.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "posteo.de",
    "mailbox.org",
    "protonmail.ch",
    "ukr.net",
  ])("%s is free mail", (d) => expect(isFreeMailDomain(d)).toBe(true));
  it.each(["acme.com", "live.nation.com", "gmx-consulting.de", "mail.acme.com"])("%s is not", (d) =>
    expect(isFreeMailDomain(d)).toBe(false),
  );
});
