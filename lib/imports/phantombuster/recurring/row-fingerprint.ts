import { createHash } from "node:crypto";
import { normalizeLinkedInUrl } from "@/lib/leads/normalize";
import { headerKey } from "../../presets/header-key";

/**
 * What makes a row of an agent's result "the same row" from one run to the next, for a
 * recurring import to add only new ones: the person's LinkedIn member id (`vmid`, stable), else
 * their profile URL (normalised: scheme, host, case and trailing slash do not matter), else
 * their email (case does not matter), else every value of the row. A re-scraped person whose
 * headline or timestamp changed is the same person; the result file's column order does not
 * matter. The fingerprint is a SHA-256, so what is kept says nothing about the person.
 */
const IDENTITIES: { headers: string[]; read: (value: string) => string | null }[] = [
  { headers: ["vmid"], read: (v) => v.trim() || null },
  {
    headers: ["linkedinprofileurl", "defaultprofileurl", "profileurl", "linkedinurl", "personlinkedinurl"],
    read: (v) => normalizeLinkedInUrl(v),
  },
  { headers: ["professionalemail", "email", "emailaddress"], read: (v) => v.trim().toLowerCase() || null },
];

export type RowFingerprint = (fields: readonly string[]) => string;

export function rowFingerprinter(header: readonly string[]): RowFingerprint {
  const keys = header.map(headerKey);
  const columns = IDENTITIES.map(({ headers, read }) => ({
    read,
    at: headers.map((h) => keys.indexOf(h)).filter((i) => i >= 0),
  }));
  const sorted = keys.map((key, i) => ({ key, i })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  return (fields) => {
    for (const [kind, { read, at }] of columns.entries()) {
      for (const i of at) {
        const value = read(fields[i] ?? "");
        if (value) return digest(`${kind}:${value}`);
      }
    }
    return digest(`row:${JSON.stringify(sorted.map(({ key, i }) => [key, (fields[i] ?? "").trim()]))}`);
  };
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
