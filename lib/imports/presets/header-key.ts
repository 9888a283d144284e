import { CUSTOM_FIELD_KEY } from "../types";

/**
 * What a header is compared by: letters and digits only, lower case, accents dropped, so
 * `E-mail`, `e_mail` and `EMAIL ` are one name, `Prénom` is `prenom`, `# Employees` is
 * `employees` and Apollo's `Apollo Account  Id` (with its double space) is `apolloaccountid`.
 */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * A custom field key suggested for a header (`Lead Source 2` → `lead_source_2`), valid for
 * CUSTOM_FIELD_KEY; `field_<n>` when the header has no usable letters.
 */
export function customFieldKeyOf(header: string, columnIndex: number): string {
  const slug = header
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 63)
    .replace(/_+$/, "");
  const key = /^[a-z]/.test(slug) ? slug : slug === "" ? `field_${columnIndex + 1}` : `field_${slug}`.slice(0, 63);
  return CUSTOM_FIELD_KEY.test(key) ? key : `field_${columnIndex + 1}`;
}
