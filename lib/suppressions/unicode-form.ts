import "server-only";
import { domainToASCII, domainToUnicode } from "node:url";

/**
 * Entries are stored in the ASCII form a lead's address can take (normalise.ts): `bücher.de` is
 * `xn--bcher-kva.de`. People read and search them in the form they typed.
 */

/** The entry as people write it (`ann@bücher.de`), or null when that is the stored form itself. */
export function unicodeForm(value: string): string | null {
  if (!value.includes("xn--")) return null;
  const at = value.lastIndexOf("@");
  const domain = domainToUnicode(value.slice(at + 1));
  if (!domain) return null;
  const shown = `${value.slice(0, at + 1)}${domain}`;
  return shown === value ? null : shown;
}

/**
 * What a search typed in Unicode matches in the stored ASCII form: each label of its domain part
 * converted (`bücher` → `xn--bcher-kva`), so whole labels are found; null when nothing converts.
 * A fragment of a label has no ASCII form of its own (`büch` is not part of `bücher`'s).
 */
export function asciiSearchForm(term: string): string | null {
  const at = term.lastIndexOf("@");
  const labels = term
    .slice(at + 1)
    .split(".")
    .map((label) => (ASCII.test(label) ? label : domainToASCII(label) || label));
  const ascii = `${term.slice(0, at + 1)}${labels.join(".")}`;
  return ascii === term ? null : ascii;
}

const ASCII = /^[\x00-\x7f]*$/;
