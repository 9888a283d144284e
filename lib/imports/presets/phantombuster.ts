import { custom, field, type ImportPreset } from "./preset";

/**
 * PhantomBuster's LinkedIn result files (vendors/apollo-phantombuster-openai.md §2.4). Their
 * columns are camelCase and version-dependent, so they are matched by name like any other.
 * The lead's LinkedIn URL must be a person's `/in/` profile: Sales Navigator's own
 * `profileUrl` is a `/sales/lead/…` link, so that export uses the vanity `defaultProfileUrl`
 * (the form other sources give, so it matches their leads), and the id form
 * `linkedInProfileUrl` where that is blank; the Sales Navigator link is kept as a custom field.
 * `location` is free text ("Paris, Île-de-France, France"), not a city: a custom field too.
 */

export const PHANTOMBUSTER_SALES_NAVIGATOR: ImportPreset = {
  id: "phantombuster_sales_navigator",
  label: "PhantomBuster Sales Navigator search export",
  signature: [
    "profileurl",
    "fullname",
    "firstname",
    "lastname",
    "companyname",
    "title",
    "companyid",
    "companyurl",
    "regularcompanyurl",
    "titledescription",
    "durationinrole",
    "durationincompany",
    "connectiondegree",
    "vmid",
    "linkedinprofileurl",
    "defaultprofileurl",
    "ispremium",
    "isopenlink",
  ],
  marks: ["defaultprofileurl", "regularcompanyurl", "durationinrole", "durationincompany", "titledescription", "isopenlink", "vmid"],
  rules: [
    { target: field("linkedin_url"), headers: ["defaultprofileurl", "linkedinprofileurl"], fallbacks: ["linkedinprofileurl"] },
    { target: field("first_name"), headers: ["firstname"] },
    { target: field("last_name"), headers: ["lastname"] },
    { target: field("full_name"), headers: ["fullname", "name"], unlessMapped: ["first_name", "last_name"] },
    { target: field("title"), headers: ["title"] },
    { target: field("company_name"), headers: ["companyname"] },
    { target: field("company_linkedin_url"), headers: ["regularcompanyurl"] },
    { target: field("company_industry"), headers: ["industry"] },
    { target: custom("location"), headers: ["location"] },
    { target: custom("sales_navigator_url"), headers: ["profileurl"] },
  ],
};

export const PHANTOMBUSTER_LINKEDIN_SEARCH: ImportPreset = {
  id: "phantombuster_linkedin_search",
  label: "PhantomBuster LinkedIn search export",
  signature: [
    "profileurl",
    "fullname",
    "firstname",
    "lastname",
    "headline",
    "additionalinfo",
    "location",
    "connectiondegree",
    "profileimageurl",
    "vmid",
    "query",
    "category",
    "timestamp",
    "sharedconnections",
    "company",
    "job",
  ],
  marks: ["vmid", "additionalinfo", "connectiondegree", "sharedconnections", "profileimageurl"],
  rules: [
    { target: field("linkedin_url"), headers: ["profileurl", "linkedinprofileurl", "defaultprofileurl"] },
    { target: field("first_name"), headers: ["firstname"] },
    { target: field("last_name"), headers: ["lastname"] },
    { target: field("full_name"), headers: ["fullname", "name"], unlessMapped: ["first_name", "last_name"] },
    // `job` is the current position; the headline ("VP Sales at Acme") stands in without it.
    { target: field("title"), headers: ["job", "headline"] },
    { target: custom("headline"), headers: ["headline"] },
    { target: field("company_name"), headers: ["company", "companyname"] },
    { target: custom("location"), headers: ["location"] },
  ],
};

export const PHANTOMBUSTER_PROFILE_SCRAPER: ImportPreset = {
  id: "phantombuster_profile_scraper",
  label: "PhantomBuster LinkedIn profile scraper",
  signature: [
    "linkedinprofileurl",
    "firstname",
    "lastname",
    "fullname",
    "linkedinheadline",
    "linkedindescription",
    "companyname",
    "companyindustry",
    "companywebsite",
    "linkedinjobtitle",
    "linkedinjoblocation",
    "linkedinjobdaterange",
    "linkedinschoolname",
    "linkedinskillslabel",
    "professionalemail",
  ],
  marks: [
    "linkedinheadline",
    "linkedindescription",
    "linkedinjobtitle",
    "linkedinjoblocation",
    "linkedinjobdaterange",
    "linkedinschoolname",
    "linkedinskillslabel",
    "professionalemail",
  ],
  rules: [
    { target: field("linkedin_url"), headers: ["linkedinprofileurl", "profileurl"] },
    { target: field("email"), headers: ["professionalemail", "email"] },
    { target: field("first_name"), headers: ["firstname"] },
    { target: field("last_name"), headers: ["lastname"] },
    { target: field("full_name"), headers: ["fullname"], unlessMapped: ["first_name", "last_name"] },
    { target: field("title"), headers: ["linkedinjobtitle", "jobtitle"] },
    { target: custom("headline"), headers: ["linkedinheadline", "headline"] },
    { target: field("company_name"), headers: ["companyname", "company"] },
    { target: field("company_industry"), headers: ["companyindustry"] },
    { target: field("company_website"), headers: ["companywebsite"] },
    { target: custom("location"), headers: ["location"] },
  ],
};
