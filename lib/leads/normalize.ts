/**
 * How lead and company identifiers are stored, so that the same person or company typed
 * differently (case, spacing, `www.`, tracking parameters) is recognised as the same one.
 * Pure: the lead form, create-lead, the CSV and Apollo imports all call these.
 */

/** An email as the lead keeps it: trimmed, case kept (uniqueness is on its lower case). Empty is null. */
export function normalizeEmail(raw: string | null | undefined): string | null {
  const email = raw?.trim() ?? "";
  return email === "" ? null : email;
}

/** What two addresses are compared by: `Ana@Acme.com ` and `ana@acme.com` are one lead. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** The address's domain, lower-cased (`acme.com` for `Ana@ACME.com`), or null without one. */
export function emailDomain(email: string | null | undefined): string | null {
  const at = email?.lastIndexOf("@") ?? -1;
  if (!email || at < 1) return null;
  return normalizeDomain(email.slice(at + 1));
}

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/**
 * A company's domain as companies.domain holds it: the lower-case host without scheme,
 * `www.`, port, path or trailing dot (`https://www.Acme.com/about` → `acme.com`). Null when
 * what is left is not a host name (the database CHECK uses the same pattern), or longer than one
 * can be (253 characters, labels of 63): a company named after such a "domain" would break the
 * name's limit and fail its whole import batch.
 */
export function normalizeDomain(raw: string | null | undefined): string | null {
  let host = raw?.trim().toLowerCase() ?? "";
  if (host === "") return null;
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  host = host.split(/[/?#]/, 1)[0]!;
  host = host
    .replace(/^[^@]*@/, "")
    .replace(/:\d+$/, "")
    .replace(/\.$/, "");
  host = host.replace(/^(www\.)+/, "");
  return DOMAIN.test(host) && host.length <= 253 && host.split(".").every((label) => label.length <= 63) ? host : null;
}

const LINKEDIN_HOST = /^([a-z]{2,3}\.|www\.|m\.)?linkedin\.com$/;
const MEMBER_ID_SLUG = /^AC[ow]AA[A-Za-z0-9_-]{8,}$/;

/**
 * A person's LinkedIn profile as `https://www.linkedin.com/in/<slug>`: any scheme or none,
 * country (`uk.`) and mobile hosts, trailing paths (`/detail/contact-info/`), query and fragment
 * dropped; the slug percent-decoded, without invisible characters, accents composed, and
 * lower-cased, as LinkedIn treats a member's vanity name.
 * A member-id slug (`ACoAAB…`, `ACwAAB…`, as Sales Navigator exports give it) keeps its case: it
 * is an encoded id, which lower-cased no longer opens the profile. Null when the URL is not a
 * person's profile (a company page, a search, another site).
 */
export function normalizeLinkedInUrl(raw: string | null | undefined): string | null {
  const page = linkedInPage(httpUrl(raw), PROFILE_SECTIONS, (slug) => (MEMBER_ID_SLUG.test(slug) ? slug : slug.toLowerCase()));
  return page && `https://www.linkedin.com/in/${page.slug}`;
}

const PROFILE_SECTIONS = new Set(["in"]);
const COMPANY_PAGE_SECTIONS = new Set(["company", "school", "showcase"]);

/**
 * A company's LinkedIn page as `https://www.linkedin.com/company/<slug>` (or `school/`,
 * `showcase/`), as normalizeLinkedInUrl treats a person's: any scheme or none, country and mobile
 * hosts, trailing paths (`/about/`), query and fragment dropped, the slug lower-cased. Null when
 * it is not a LinkedIn company page.
 */
export function normalizeCompanyLinkedInUrl(raw: string | null | undefined): string | null {
  const page = linkedInPage(webUrl(raw), COMPANY_PAGE_SECTIONS, (slug) => slug.toLowerCase());
  return page && `https://www.linkedin.com/${page.section}/${page.slug}`;
}

/**
 * A LinkedIn page's section (`in`, `company`…) and slug, the slug percent-decoded, without
 * invisible format characters (a zero-width space, a soft hyphen, a BOM), its accents composed
 * (NFC) and cased by `cased`: each spelling of a slug is one page, not a second lead for it.
 */
function linkedInPage(
  url: URL | null,
  sections: ReadonlySet<string>,
  cased: (slug: string) => string,
): { section: string; slug: string } | null {
  if (!url || !LINKEDIN_HOST.test(url.hostname)) return null;
  const [section, encodedSlug] = url.pathname.split("/").filter(Boolean);
  if (!section || !sections.has(section.toLowerCase()) || !encodedSlug) return null;
  let slug: string;
  try {
    slug = cased(
      decodeURIComponent(encodedSlug)
        .replace(/\p{Cf}/gu, "")
        .normalize("NFC"),
    );
  } catch {
    return null;
  }
  if (!/^[^/?#\s\p{Cc}]+$/u.test(slug) || slug.length > 200) return null;
  return { section: section.toLowerCase(), slug };
}

/**
 * A company's website as a link that opens it: http(s) only (a bare `acme.com` gets https://),
 * on a host normalizeDomain accepts; null for anything else (`javascript:`, "not a url").
 */
export function normalizeWebsite(raw: string | null | undefined): string | null {
  const url = webUrl(raw);
  return url && normalizeDomain(url.hostname) ? url.toString() : null;
}

/** An http(s) URL from what was typed, https:// added to a bare host; null otherwise. */
function httpUrl(raw: string | null | undefined): URL | null {
  const input = raw?.trim() ?? "";
  if (input === "") return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `https://${input}`);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

/** httpUrl for a link a person typed into a form: no space in it and no user name. */
function webUrl(raw: string | null | undefined): URL | null {
  if (/\s/.test(raw?.trim() ?? "")) return null;
  const url = httpUrl(raw);
  return url && url.username === "" && url.password === "" ? url : null;
}
