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
 * What a search typed in Unicode matches in the stored ASCII form. A label followed by a dot is
 * whole: its ASCII form (`bücher.` → `xn--bcher-kva.`). The last one may be the start of a label
 * (`bücher` of `bücher-verlag.de`): an ASCII label keeps the label's ASCII letters in order after
 * `xn--` (`xn--bcher-verlag-…`), so `xn--bcher` finds it, and also a label that differs only in
 * its other letters (`bächer`), which a search can bear. Null when nothing converts.
 */
export function asciiSearchForm(term: string): string | null {
  const at = term.lastIndexOf("@");
  const labels = term.slice(at + 1).split(".");
  const ascii = labels.map((label, n) => {
    if (ASCII.test(label)) return label;
    const letters = [...label.normalize("NFC")].filter((c) => ASCII.test(c)).join("");
    if (n === labels.length - 1 && letters !== "") return `xn--${letters}`;
    return domainToASCII(label) || label;
  });
  const form = `${term.slice(0, at + 1)}${ascii.join(".")}`;
  return form === term ? null : form;
}
const ASCII = /^[\x00-\x7f]*$/;
