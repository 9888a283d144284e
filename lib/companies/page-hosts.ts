/**
 * Sites where companies keep a page rather than their own site: a spreadsheet's "Website" cell
 * holding `linkedin.com/company/acme` or `facebook.com/acme` names the host, not the company.
 * An import takes such a cell as no website and finds the company by its email's domain instead;
 * left as a domain, every such lead of the file joined one company called after the first of
 * them, at linkedin.com. Browser-safe (the mapping preview reads it).
 */
const PAGE_HOSTS = [
  "linkedin.com",
  "facebook.com",
  "fb.com",
  "instagram.com",
  "twitter.com",
  "x.com",
  "youtube.com",
  "tiktok.com",
  "xing.com",
  "crunchbase.com",
  "wellfound.com",
  "angel.co",
  "github.com",
  "medium.com",
  "linktr.ee",
  "sites.google.com",
];

/** Whether `domain` (normalised: lower case, no www.) is one of those sites or a subdomain of one. */
export function isPageHost(domain: string): boolean {
  return PAGE_HOSTS.some((host) => domain === host || domain.endsWith(`.${host}`));
}
