import { describe, expect, it } from "vitest";
import { ZImportMapping, type ColumnTarget } from "../types";
import { mapRow } from "../map-row";
import { detectPreset, mapWithPreset, presetLabel } from "./detect";

/** Header rows as the exports write them (vendors/apollo-phantombuster-openai.md §1.10, §2.4). */
const split = (line: string) => line.split(", ");

const APOLLO_NEW = split(
  "First Name, Last Name, Title, Company Name, Company Name for Emails, Email, Email Status, Primary Email Source, " +
    "Primary Email Verification Source, Email Confidence, Primary Email Catch-all Status, Primary Email Last Verified At, " +
    "Seniority, Departments, Sub Departments, Contact Owner, Work Direct Phone, Home Phone, Mobile Phone, Corporate Phone, " +
    "Other Phone, Do Not Call, Stage, Lists, Last Contacted, Account Owner, # Employees, Industry, Keywords, " +
    "Person Linkedin Url, Website, Company Linkedin Url, Facebook Url, Twitter Url, City, State, Country, " +
    "Company Address, Company City, Company State, Company Country, Company Phone, Technologies, Annual Revenue, " +
    "Total Funding, Latest Funding, Latest Funding Amount, Last Raised At, Parent company (Apollo data), " +
    "Parent company (Apollo data - Organization ID), Email Sent, Email Open, Email Bounced, Replied, Demoed, " +
    "Number of Retail Locations, SIC Codes, NAICS Codes, Apollo Contact Id, Apollo Account Id, Apollo Record Id, " +
    "Secondary Email, Secondary Email Source, Secondary Email Status, Secondary Email Verification Source, " +
    "Tertiary Email, Tertiary Email Source, Tertiary Email Status, Tertiary Email Verification Source, " +
    "Primary Intent Topic, Primary Intent Score, Secondary Intent Topic, Secondary Intent Score, Qualify Contact",
);

// The older layout, with its double-spaced `Apollo Account  Id` and `First Phone`.
const APOLLO_OLD = split(
  "First Name, Last Name, Title, Company, Company Name for Emails, Email, Email Status, Email Confidence, " +
    "Seniority, Departments, First Phone, Work Direct Phone, Home Phone, Mobile Phone, Corporate Phone, Other Phone, " +
    "Stage, Lists, Last Contacted, Account Owner, # Employees, Industry, Keywords, Person Linkedin Url, Website, " +
    "Company Linkedin Url, Facebook Url, Twitter Url, City, State, Country, Company Address, Company City, Company State, " +
    "Company Country, Company Phone, Technologies, Annual Revenue, Total Funding, Latest Funding, Latest Funding Amount, " +
    "Last Raised At, Subsidiary of, Email Sent, Email Open, Email Bounced, Replied, Demoed, Number of Retail Locations, " +
    "Apollo Contact Id, Apollo Account  Id, Secondary Email, Secondary Email Source, Tertiary Email, Tertiary Email Source",
);

const SALES_NAVIGATOR = split(
  "profileUrl, fullName, firstName, lastName, companyName, title, companyId, companyUrl, regularCompanyUrl, summary, " +
    "titleDescription, industry, companyLocation, location, durationInRole, durationInCompany, pastExperienceCompanyName, " +
    "pastExperienceCompanyUrl, pastExperienceCompanyTitle, pastExperienceDate, pastExperienceDuration, connectionDegree, " +
    "profileImageUrl, sharedConnectionsCount, name, vmid, linkedInProfileUrl, isPremium, isOpenLink, query, timestamp, " +
    "defaultProfileUrl, searchAccountProfileId, searchAccountProfileName",
);

const LINKEDIN_SEARCH = split(
  "profileUrl, fullName, firstName, lastName, headline, additionalInfo, location, connectionDegree, profileImageUrl, " +
    "vmid, query, category, timestamp, sharedConnections, company, job",
);

const PROFILE_SCRAPER = split(
  "linkedinProfileUrl, firstName, lastName, fullName, linkedinHeadline, linkedinDescription, location, companyName, " +
    "companyIndustry, companyWebsite, linkedinJobTitle, linkedinJobLocation, linkedinJobDateRange, linkedinJobDescription, " +
    "previousCompanyName, linkedinPreviousJobTitle, linkedinPreviousJobDateRange, linkedinSchoolName, linkedinSchoolDegree, " +
    "linkedinSkillsLabel, linkedinProfileImageUrl, professionalEmail",
);

/** header → target, for the columns that are not ignored (`phone?` for a fallback of phone). */
function mapped(headers: string[], columns: ColumnTarget[]): Record<string, string> {
  const out: Record<string, string> = {};
  columns.forEach((t, i) => {
    if (t.kind === "field") out[headers[i]!] = t.fallback ? `${t.field}?` : t.field;
    if (t.kind === "custom") out[headers[i]!] = `custom:${t.key}`;
  });
  return out;
}

describe("detectPreset on Apollo exports", () => {
  it("recognises the newer layout and maps its lead, company and Apollo id columns", () => {
    const detected = detectPreset(APOLLO_NEW);
    expect(detected).toMatchObject({ id: "apollo", label: "Apollo.io contacts export" });
    expect(detected.columns).toHaveLength(APOLLO_NEW.length);
    expect(mapped(APOLLO_NEW, detected.columns)).toEqual({
      "First Name": "first_name",
      "Last Name": "last_name",
      Title: "title",
      "Company Name": "company_name",
      Email: "email",
      "Email Status": "email_status",
      Seniority: "seniority",
      Departments: "department",
      "Work Direct Phone": "phone",
      "Mobile Phone": "phone?",
      "Corporate Phone": "phone?",
      "Other Phone": "phone?",
      "# Employees": "company_employee_count",
      Industry: "company_industry",
      "Person Linkedin Url": "linkedin_url",
      Website: "company_website",
      "Company Linkedin Url": "company_linkedin_url",
      City: "city",
      Country: "country",
      "Company City": "company_city",
      "Company Country": "company_country",
      "Annual Revenue": "company_annual_revenue",
      "Apollo Contact Id": "apollo_person_id",
      "Apollo Account Id": "apollo_organization_id",
    });
    // The other emails and their statuses stay out of the lead, and so does a private phone.
    expect(detected.columns[APOLLO_NEW.indexOf("Secondary Email Status")]).toEqual({ kind: "ignore" });
    expect(detected.columns[APOLLO_NEW.indexOf("Home Phone")]).toEqual({ kind: "ignore" });
    expect(ZImportMapping.safeParse({ columns: detected.columns }).success).toBe(true);
  });

  it("recognises the 2022–23 layout: Company, First Phone and the double-spaced Apollo Account  Id", () => {
    const detected = detectPreset(APOLLO_OLD);
    expect(detected).toMatchObject({ id: "apollo_legacy", label: "Apollo.io contacts export (2022–23 layout)" });
    const byHeader = mapped(APOLLO_OLD, detected.columns);
    expect(byHeader).toMatchObject({
      Company: "company_name",
      "First Phone": "phone",
      "Work Direct Phone": "phone?",
      "Mobile Phone": "phone?",
      "Apollo Account  Id": "apollo_organization_id",
      "Apollo Contact Id": "apollo_person_id",
      Email: "email",
      "Email Status": "email_status",
    });
    expect(Object.values(byHeader).filter((t) => t === "phone")).toHaveLength(1);
    expect(ZImportMapping.safeParse({ columns: detected.columns }).success).toBe(true);
  });

  it("still recognises an export with fewer columns, other case and spacing, and a BOM on the first header", () => {
    const headers = [
      "\uFEFFfirst name",
      "LAST NAME",
      "title",
      "company name",
      "email",
      "email status",
      "person linkedin url",
      "apollo contact id",
    ];
    const detected = detectPreset(headers);
    expect(detected.id).toBe("apollo");
    expect(mapped(headers, detected.columns)).toMatchObject({ "\uFEFFfirst name": "first_name", "person linkedin url": "linkedin_url" });
  });

  it("maps a blank header to nothing and a duplicated one once", () => {
    const headers = ["First Name", "Last Name", "", "Email", "Email", "Email Status", "Title", "Company Name", "Person Linkedin Url", "  "];
    const detected = detectPreset(headers);
    expect(detected.id).toBe("apollo");
    expect(detected.columns).toEqual([
      { kind: "field", field: "first_name" },
      { kind: "field", field: "last_name" },
      { kind: "ignore" },
      { kind: "field", field: "email" },
      { kind: "ignore" },
      { kind: "field", field: "email_status" },
      { kind: "field", field: "title" },
      { kind: "field", field: "company_name" },
      { kind: "field", field: "linkedin_url" },
      { kind: "ignore" },
    ]);
    expect(ZImportMapping.safeParse({ columns: detected.columns }).success).toBe(true);
  });
});

describe("detectPreset on PhantomBuster results", () => {
  it("Sales Navigator: the person's /in/ URL (not the /sales/lead/ link), first and last name rather than the full one", () => {
    const detected = detectPreset(SALES_NAVIGATOR);
    expect(detected).toMatchObject({ id: "phantombuster_sales_navigator", label: "PhantomBuster Sales Navigator search export" });
    expect(mapped(SALES_NAVIGATOR, detected.columns)).toEqual({
      defaultProfileUrl: "linkedin_url",
      linkedInProfileUrl: "linkedin_url?",
      firstName: "first_name",
      lastName: "last_name",
      title: "title",
      companyName: "company_name",
      regularCompanyUrl: "company_linkedin_url",
      industry: "company_industry",
      location: "custom:location",
      profileUrl: "custom:sales_navigator_url",
    });
    expect(ZImportMapping.safeParse({ columns: detected.columns }).success).toBe(true);
  });

  it("Sales Navigator without the vanity column falls back to the id-form linkedInProfileUrl", () => {
    const headers = SALES_NAVIGATOR.filter((h) => h !== "defaultProfileUrl");
    const detected = detectPreset(headers);
    expect(detected.id).toBe("phantombuster_sales_navigator");
    expect(mapped(headers, detected.columns).linkedInProfileUrl).toBe("linkedin_url");
  });

  it("LinkedIn search export: job as the title, the headline kept as a custom field", () => {
    const detected = detectPreset(LINKEDIN_SEARCH);
    expect(detected).toMatchObject({ id: "phantombuster_linkedin_search", label: "PhantomBuster LinkedIn search export" });
    expect(mapped(LINKEDIN_SEARCH, detected.columns)).toEqual({
      profileUrl: "linkedin_url",
      firstName: "first_name",
      lastName: "last_name",
      job: "title",
      headline: "custom:headline",
      company: "company_name",
      location: "custom:location",
    });
  });

  it("LinkedIn search export with only a full name maps it as one", () => {
    const headers = ["profileUrl", "fullName", "headline", "location", "connectionDegree", "vmid", "query", "timestamp", "category"];
    const detected = detectPreset(headers);
    expect(detected.id).toBe("phantombuster_linkedin_search");
    expect(mapped(headers, detected.columns)).toMatchObject({ fullName: "full_name", headline: "title", profileUrl: "linkedin_url" });
  });

  it("profile scraper: the discovered professional email, job title, company website and industry", () => {
    const detected = detectPreset(PROFILE_SCRAPER);
    expect(detected).toMatchObject({ id: "phantombuster_profile_scraper", label: "PhantomBuster LinkedIn profile scraper" });
    expect(mapped(PROFILE_SCRAPER, detected.columns)).toEqual({
      linkedinProfileUrl: "linkedin_url",
      professionalEmail: "email",
      firstName: "first_name",
      lastName: "last_name",
      linkedinJobTitle: "title",
      linkedinHeadline: "custom:headline",
      companyName: "company_name",
      companyIndustry: "company_industry",
      companyWebsite: "company_website",
      location: "custom:location",
    });
  });
});

describe("detectPreset on any other file (generic)", () => {
  it("matches common names in any case, spacing and punctuation", () => {
    const headers = ["E-mail", "FIRST_NAME", "last name", "Job Title", "Company", "Phone Number", "LinkedIn", "Website", "Notes"];
    const detected = detectPreset(headers);
    expect(detected).toMatchObject({ id: "generic", label: "Common column names" });
    expect(mapped(headers, detected.columns)).toEqual({
      "E-mail": "email",
      FIRST_NAME: "first_name",
      "last name": "last_name",
      "Job Title": "title",
      Company: "company_name",
      "Phone Number": "phone",
      LinkedIn: "linkedin_url",
      Website: "company_website",
    });
  });

  it.each([
    [["email_address", "Name"], { email_address: "email", Name: "full_name" }],
    [["Work Email", "Contact First Name", "Email (primary)"], { "Work Email": "email", "Contact First Name": "first_name" }],
    [
      ["Vorname", "Nachname", "Firma", "E-Mail-Adresse", "Telefon", "Stadt", "Land"],
      {
        Vorname: "first_name",
        Nachname: "last_name",
        Firma: "company_name",
        "E-Mail-Adresse": "email",
        Telefon: "phone",
        Stadt: "city",
        Land: "country",
      },
    ],
    [
      ["Prénom", "Nom", "Société", "Courriel", "Téléphone", "Ville", "Pays", "Poste"],
      {
        Prénom: "first_name",
        Nom: "last_name",
        Société: "company_name",
        Courriel: "email",
        Téléphone: "phone",
        Ville: "city",
        Pays: "country",
        Poste: "title",
      },
    ],
    [
      ["Nombre", "Apellidos", "Empresa", "Correo electrónico", "Teléfono", "Cargo"],
      {
        Nombre: "first_name",
        Apellidos: "last_name",
        Empresa: "company_name",
        "Correo electrónico": "email",
        Teléfono: "phone",
        Cargo: "title",
      },
    ],
  ])("%j", (headers, expected) => {
    expect(mapped(headers, detectPreset(headers).columns)).toEqual(expected);
  });

  it("keeps a full name out when first and last are both there, and uses it when one is missing", () => {
    expect(
      mapped(["Name", "First Name", "Last Name", "Email"], detectPreset(["Name", "First Name", "Last Name", "Email"]).columns),
    ).toEqual({
      "First Name": "first_name",
      "Last Name": "last_name",
      Email: "email",
    });
    expect(mapped(["Full Name", "First Name", "Email"], detectPreset(["Full Name", "First Name", "Email"]).columns)).toEqual({
      "Full Name": "full_name",
      "First Name": "first_name",
      Email: "email",
    });
  });

  it("prefers an exact name over a qualified one, whatever the column order", () => {
    const headers = ["Work Email", "Email", "Personal Email"];
    expect(detectPreset(headers).columns).toEqual([{ kind: "ignore" }, { kind: "field", field: "email" }, { kind: "ignore" }]);
  });

  it("ignores blank, duplicate and unknown headers, and a file with nothing known maps to nothing", () => {
    const headers = ["", "Email", "email", "Foo", " "];
    expect(detectPreset(headers).columns).toEqual([
      { kind: "ignore" },
      { kind: "field", field: "email" },
      { kind: "ignore" },
      { kind: "ignore" },
      { kind: "ignore" },
    ]);
    const nothing = detectPreset(["a", "b", ""]);
    expect(nothing.id).toBe("generic");
    expect(nothing.columns.every((c) => c.kind === "ignore")).toBe(true);
  });

  it("does not take a few PhantomBuster-like names for a PhantomBuster export", () => {
    expect(detectPreset(["firstName", "lastName", "email", "company"]).id).toBe("generic");
  });
});

describe("mapWithPreset and presetLabel", () => {
  it("applies a chosen preset to any headers and names stored presets in words", () => {
    expect(mapWithPreset("apollo", ["Email", "Company"])).toEqual([
      { kind: "field", field: "email" },
      { kind: "field", field: "company_name" },
    ]);
    expect(presetLabel("phantombuster_profile_scraper")).toBe("PhantomBuster LinkedIn profile scraper");
    expect(presetLabel("saved")).toBe("Custom mapping");
    expect(presetLabel(null)).toBe("Custom mapping");
  });
});

describe("detectPreset does not claim a plain file for a vendor", () => {
  it("a file of common names that happen to be in Apollo's export is generic", () => {
    expect(detectPreset(["First Name", "Last Name", "Email", "Title", "Company", "Website"]).id).toBe("generic");
  });
});

describe("a detected mapping through mapRow", () => {
  /** A row of `headers` holding `values` by header, blank elsewhere. */
  const rowOf = (headers: string[], values: Record<string, string>) => headers.map((h) => values[h] ?? "");

  it("an Apollo row without a Work Direct Phone keeps its Mobile Phone, then its Corporate Phone, never its Home Phone", () => {
    const mapping = ZImportMapping.parse({ columns: detectPreset(APOLLO_NEW).columns });
    const base = { Email: "lea@example.fr", "Home Phone": "'+33 1 00 00 00 00" };
    const phoneOf = (values: Record<string, string>) => {
      const result = mapRow(rowOf(APOLLO_NEW, { ...base, ...values }), mapping, APOLLO_NEW);
      return result.kind === "lead" ? { phone: result.lead.phone, marks: result.marks } : null;
    };

    const mobile = phoneOf({ "Mobile Phone": "'+33 6 12 34 56 78", "Corporate Phone": "+33 1 44 55 66 77" });
    expect(mobile?.phone).toBe("+33 6 12 34 56 78");
    // The preview says where the number came from, on the column it came from.
    expect(mobile?.marks).toEqual([
      { column: APOLLO_NEW.indexOf("Mobile Phone"), level: "note", message: 'Used because "Work Direct Phone" is blank.' },
      { column: APOLLO_NEW.indexOf("Corporate Phone"), level: "note", message: 'Not used: "Mobile Phone" has a value.' },
      { column: APOLLO_NEW.indexOf("Mobile Phone"), level: "note", message: "Leading apostrophe removed." },
    ]);
    expect(phoneOf({ "Corporate Phone": "+33 1 44 55 66 77" })?.phone).toBe("+33 1 44 55 66 77");
    expect(phoneOf({ "Work Direct Phone": "+33 1 23 45 67 89", "Mobile Phone": "+33 6 12 34 56 78" })).toMatchObject({
      phone: "+33 1 23 45 67 89",
      marks: [{ column: APOLLO_NEW.indexOf("Mobile Phone"), level: "note", message: 'Not used: "Work Direct Phone" has a value.' }],
    });
    expect(phoneOf({})?.phone).toBeNull();
    // A fallback's value too long for a phone is passed over, never a reason to fail the row.
    const long = "+33 6 12 34 56 78 ".repeat(5);
    expect(phoneOf({ "Mobile Phone": long, "Corporate Phone": "+33 1 44 55 66 77" })).toMatchObject({
      phone: "+33 1 44 55 66 77",
      marks: expect.arrayContaining([
        { column: APOLLO_NEW.indexOf("Mobile Phone"), level: "note", message: expect.stringMatching(/^Not used: too long/) },
      ]),
    });
    expect(phoneOf({ "Mobile Phone": long })?.phone).toBeNull();
  });

  it("a Sales Navigator row whose vanity URL is blank is identified by its id-form linkedInProfileUrl", () => {
    const mapping = ZImportMapping.parse({ columns: detectPreset(SALES_NAVIGATOR).columns });
    const values = {
      firstName: "Nuño",
      lastName: "Peña",
      profileUrl: "https://www.linkedin.com/sales/lead/ACwAAB1,NAME_SEARCH,x1",
      linkedInProfileUrl: "https://www.linkedin.com/in/ACwAAB1xYz2Q3rStUvWxYz",
    };
    const withoutVanity = mapRow(rowOf(SALES_NAVIGATOR, values), mapping, SALES_NAVIGATOR);
    expect(withoutVanity).toMatchObject({ kind: "lead", lead: { linkedinUrl: "https://www.linkedin.com/in/ACwAAB1xYz2Q3rStUvWxYz" } });
    const withVanity = mapRow(
      rowOf(SALES_NAVIGATOR, { ...values, defaultProfileUrl: "https://www.linkedin.com/in/nuno-pena" }),
      mapping,
      SALES_NAVIGATOR,
    );
    expect(withVanity).toMatchObject({ kind: "lead", lead: { linkedinUrl: "https://www.linkedin.com/in/nuno-pena" } });
  });

  it("an Apollo row lands with its apostrophe-prefixed phone cleaned and its Email Status read", () => {
    const detected = detectPreset(APOLLO_OLD);
    const mapping = ZImportMapping.parse({ columns: detected.columns });
    const row = APOLLO_OLD.map((h) => {
      const values: Record<string, string> = {
        "First Name": "Zoë",
        "Last Name": "Ångström",
        Company: "Acme GmbH",
        Email: "zoe@acme.de",
        "Email Status": "Verified",
        "First Phone": "'+49 30 1234567",
        "Person Linkedin Url": "http://linkedin.com/in/zoe-angstrom",
        Website: "https://www.acme.de",
        "Apollo Contact Id": "5f1e2d3c4b5a",
        "Apollo Account  Id": "6a7b8c9d0e1f",
      };
      return values[h] ?? "";
    });
    const result = mapRow(row, mapping, APOLLO_OLD);
    expect(result.kind).toBe("lead");
    if (result.kind !== "lead") return;
    expect(result.lead).toMatchObject({
      firstName: "Zoë",
      email: "zoe@acme.de",
      emailStatus: "valid",
      phone: "+49 30 1234567",
      linkedinUrl: "https://www.linkedin.com/in/zoe-angstrom",
      apolloPersonId: "5f1e2d3c4b5a",
      company: { name: "Acme GmbH", domain: "acme.de", apolloOrganizationId: "6a7b8c9d0e1f" },
    });
  });
});
