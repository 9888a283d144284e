import { field, type ImportPreset, type PresetRule } from "./preset";

/**
 * Apollo.io's contacts export (vendors/apollo-phantombuster-openai.md §1.10). Two layouts
 * are in circulation: the newer one names the company column `Company Name` and has the
 * "Parent company (Apollo data)" pair; the 2022–23 one says `Company`, `Subsidiary of` and
 * sometimes `First Phone`. Both rule sets accept either company header, so a file detected
 * as the other layout still maps the same. Headers are matched by headerKey, which also
 * absorbs the `Apollo Account  Id` double space. Phone cells often start with an apostrophe
 * (Excel's force-text mark) and `Email Status` says `Verified`, `Extrapolated`…: mapRow reads
 * both from whatever fills `phone` and `email_status`, so the preset only has to map them.
 */

// Apollo splits phones into several columns and a lead keeps one: the first filled, work numbers
// before the rest. Work Direct Phone is the column the export always has and most often leaves
// blank, so the others are its fallbacks; Home Phone is a private number, never a work contact.
const PHONE_COLUMNS = ["firstphone", "workdirectphone", "mobilephone", "corporatephone", "otherphone"];

const rules = (companyHeaders: string[]): PresetRule[] => [
  { target: field("email"), headers: ["email"] },
  { target: field("email_status"), headers: ["emailstatus"] },
  { target: field("first_name"), headers: ["firstname"] },
  { target: field("last_name"), headers: ["lastname"] },
  { target: field("title"), headers: ["title"] },
  { target: field("seniority"), headers: ["seniority"] },
  { target: field("department"), headers: ["departments"] },
  { target: field("phone"), headers: PHONE_COLUMNS, fallbacks: PHONE_COLUMNS },
  { target: field("linkedin_url"), headers: ["personlinkedinurl"] },
  { target: field("city"), headers: ["city"] },
  { target: field("country"), headers: ["country"] },
  { target: field("apollo_person_id"), headers: ["apollocontactid"] },
  { target: field("company_name"), headers: companyHeaders },
  { target: field("company_website"), headers: ["website"] },
  { target: field("company_linkedin_url"), headers: ["companylinkedinurl"] },
  { target: field("company_industry"), headers: ["industry"] },
  { target: field("company_employee_count"), headers: ["employees"] },
  { target: field("company_annual_revenue"), headers: ["annualrevenue"] },
  { target: field("company_city"), headers: ["companycity"] },
  { target: field("company_country"), headers: ["companycountry"] },
  { target: field("apollo_organization_id"), headers: ["apolloaccountid"] },
];

const COMMON_SIGNATURE = [
  "firstname",
  "lastname",
  "title",
  "companynameforemails",
  "email",
  "emailstatus",
  "seniority",
  "departments",
  "personlinkedinurl",
  "companylinkedinurl",
  "apollocontactid",
  "apolloaccountid",
];

const COMMON_MARKS = ["personlinkedinurl", "apollocontactid", "apolloaccountid", "companynameforemails"];

export const APOLLO: ImportPreset = {
  id: "apollo",
  label: "Apollo.io contacts export",
  signature: [...COMMON_SIGNATURE, "companyname", "parentcompanyapollodata", "primaryemailsource"],
  marks: [...COMMON_MARKS, "parentcompanyapollodata", "primaryemailsource"],
  rules: rules(["companyname", "company"]),
};

export const APOLLO_LEGACY: ImportPreset = {
  id: "apollo_legacy",
  label: "Apollo.io contacts export (2022–23 layout)",
  signature: [...COMMON_SIGNATURE, "company", "subsidiaryof", "firstphone"],
  marks: [...COMMON_MARKS, "subsidiaryof", "firstphone"],
  rules: rules(["company", "companyname"]),
};
