import { once } from "node:events";
import { createWriteStream } from "node:fs";

/**
 * The files of `npm run bench:import`: Apollo.io contact exports in the newer header layout
 * (vendors/apollo-phantombuster-openai.md §1.10) of any size, written to disk as they are
 * generated, never whole in memory. Every row is a pure function of (seed, row number), so a
 * duplicate row re-derives the row it copies instead of remembering it, and the four counts an
 * import must report are known exactly from how each row was made:
 *
 * - 90 % unique leads: accented names, company names and titles with commas and quotes,
 *   a few addresses and keyword lists with line breaks, phones with Excel's leading apostrophe;
 *   most have an email, some only a LinkedIn URL; no two share an email, Apollo id or LinkedIn URL;
 * - 5 % invalid: an email that is not an address (and no LinkedIn URL), or neither identity;
 * - 5 % duplicates of an earlier unique row with an email: the same lead with the address in
 *   another case and surrounded by spaces.
 *
 * Expected outcome, when the workspace holds none of these leads (each seed has its own
 * addresses, ids and profile URLs): inserted = unique, updated = 0, skipped = duplicates
 * (duplicate in file), failed = invalid.
 */

export const APOLLO_HEADER = [
  "First Name",
  "Last Name",
  "Title",
  "Company Name",
  "Company Name for Emails",
  "Email",
  "Email Status",
  "Primary Email Source",
  "Primary Email Verification Source",
  "Email Confidence",
  "Primary Email Catch-all Status",
  "Primary Email Last Verified At",
  "Seniority",
  "Departments",
  "Sub Departments",
  "Contact Owner",
  "Work Direct Phone",
  "Home Phone",
  "Mobile Phone",
  "Corporate Phone",
  "Other Phone",
  "Do Not Call",
  "Stage",
  "Lists",
  "Last Contacted",
  "Account Owner",
  "# Employees",
  "Industry",
  "Keywords",
  "Person Linkedin Url",
  "Website",
  "Company Linkedin Url",
  "Facebook Url",
  "Twitter Url",
  "City",
  "State",
  "Country",
  "Company Address",
  "Company City",
  "Company State",
  "Company Country",
  "Company Phone",
  "Technologies",
  "Annual Revenue",
  "Total Funding",
  "Latest Funding",
  "Latest Funding Amount",
  "Last Raised At",
  "Parent company (Apollo data)",
  "Parent company (Apollo data - Organization ID)",
  "Email Sent",
  "Email Open",
  "Email Bounced",
  "Replied",
  "Demoed",
  "Number of Retail Locations",
  "SIC Codes",
  "NAICS Codes",
  "Apollo Contact Id",
  "Apollo Account Id",
  "Secondary Email",
  "Secondary Email Source",
  "Secondary Email Status",
  "Secondary Email Verification Source",
  "Tertiary Email",
  "Tertiary Email Source",
  "Tertiary Email Status",
  "Tertiary Email Verification Source",
  "Primary Intent Topic",
  "Primary Intent Score",
  "Secondary Intent Topic",
  "Secondary Intent Score",
  "Qualify Contact",
] as const;

type Column = (typeof APOLLO_HEADER)[number];

export type RowKind = "unique" | "invalid" | "duplicate";

/** A generated row: its Apollo cells by header, and what an import must do with it. */
export type GeneratedRow = {
  kind: RowKind;
  cells: Partial<Record<Column, string>>;
  /** The lead an import stores for a unique row (the COPY floor writes these). */
  lead: LeadColumns | null;
};

/** The leads columns a COPY of a unique row fills, in this order (FLOOR_COLUMNS). */
export type LeadColumns = [
  firstName: string,
  lastName: string,
  email: string | null,
  title: string,
  companyName: string,
  phone: string | null,
  linkedinUrl: string | null,
  city: string,
  country: string,
  apolloPersonId: string,
];
export const FLOOR_COLUMNS = [
  "first_name",
  "last_name",
  "email",
  "title",
  "company_name",
  "phone",
  "linkedin_url",
  "city",
  "country",
  "apollo_person_id",
] as const;

export type ExpectedCounts = { rows: number; inserted: number; updated: number; skipped: number; failed: number };

const FIRST = ["Zoë", "Émile", "Łukasz", "Ana", "Björn", "Renée", "Åsa", "José", "Chloé", "Jürgen", "Søren", "Inès", "Noah", "Olivia"];
const FIRST_MORE = ["Liam", "Sofía", "Mateo", "Hana", "Aarav", "Kwame", "Amara", "Ivan", "Tomás", "François", "Hélène", "Dmitri"];
const FIRSTS = [...FIRST, ...FIRST_MORE];
const LASTS = ["Ångström", "Dupont", "Żółć", "Núñez", "Østergaard", "Smith", "Müller", "García", "Rossi", "Nowak", "O'Brien", "Kim"];
const LASTS_MORE = ["Jensen", "Dubois", "Schmidt", "López", "Silva", "Yamamoto", "Okafor", "Ivanova", "Novák", "Horváth", "Walsh"];
const LAST_NAMES = [...LASTS, ...LASTS_MORE];
const TITLES = ["Head of Sales", "CTO", "VP, Sales", "Founder & CEO", "Sales Manager", "Account Executive", "Director, EMEA"];
const SENIORITY = ["c_suite", "vp", "director", "manager", "senior", "entry", "founder"];
const DEPARTMENTS = ["Sales", "Engineering", "Marketing", "Operations", "Finance"];
const COMPANY_A = ["Nord", "Blue", "Øster", "Müller", "Helio", "Vertex", "Lumen", "Arctic", "Société", "Crescent", "Kite", "Grün"];
const COMPANY_B = ["Systems", "Labs", "GmbH", "SA", "Logistics", "Analytics", "Énergie", "Foods", "Capital", "Robotics"];
const INDUSTRIES = ["computer software", "financial services", "logistics & supply chain", "hospital & health care", "retail"];
const PLACES = [
  ["München", "Bavaria", "Germany"],
  ["Zürich", "Zurich", "Switzerland"],
  ["São Paulo", "São Paulo", "Brazil"],
  ["Kraków", "Lesser Poland", "Poland"],
  ["Malmö", "Skåne", "Sweden"],
  ["Austin", "Texas", "United States"],
  ["Lyon", "Auvergne-Rhône-Alpes", "France"],
  ["Dublin", "Leinster", "Ireland"],
] as const;
const STATUSES = ["Verified", "Verified", "Extrapolated", "Unavailable", "Guessed"];
const FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "proton.me"];
const BAD_EMAILS = ["{l}(at){d}", "{l}@@{d}", "{l} {d}", "@{d}", "{l}@"];

/** A deterministic pseudo-random integer in [0, 2^32) for (seed, row, purpose): splitmix32 on the three. */
function rand(seed: number, row: number, k: number): number {
  let x = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(row + 1, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97) >>> 0;
  return (x ^ (x >>> 15)) >>> 0;
}
const pick = <T>(xs: readonly T[], r: number): T => xs[r % xs.length]!;

/** Lower-case ASCII letters of a name, for addresses and profile slugs (Zoë → zoe). */
const ascii = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[łŁ]/g, "l")
    .replace(/[øØ]/g, "o")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();

/**
 * What row `i` (0-based) of a file is. The first rows are unique so that every duplicate has
 * an earlier row to copy; after that one row in twenty is invalid and one in twenty a duplicate.
 */
export function rowKind(seed: number, i: number): RowKind {
  if (i < 20) return "unique";
  const r = rand(seed, i, 0) % 100;
  return r < 5 ? "invalid" : r < 10 ? "duplicate" : "unique";
}

/** The row `i` of the file of `seed`. */
export function generateRow(seed: number, i: number): GeneratedRow {
  const kind = rowKind(seed, i);
  if (kind === "duplicate") {
    // An earlier unique row with an email, found by stepping back from a pseudo-random point.
    let j = rand(seed, i, 1) % i;
    while (j > 0 && !(rowKind(seed, j) === "unique" && hasEmail(seed, j))) j--;
    const original = uniqueRow(seed, j);
    const email = original.cells.Email!;
    const shouted = rand(seed, i, 2) % 2 === 0 ? email.toUpperCase() : email[0]!.toUpperCase() + email.slice(1);
    return { kind, cells: { ...original.cells, Email: `  ${shouted} ` }, lead: null };
  }
  const row = uniqueRow(seed, i);
  if (kind === "unique") return row;
  const cells = { ...row.cells, "Person Linkedin Url": "" };
  if (rand(seed, i, 3) % 2 === 0) {
    cells.Email = "";
  } else {
    const [local, domain] = row.cells.Email ? row.cells.Email.split("@") : [ascii(row.cells["First Name"]!), "example.net"];
    cells.Email = pick(BAD_EMAILS, rand(seed, i, 4))
      .replace("{l}", local!)
      .replace("{d}", domain!);
  }
  return { kind, cells, lead: null };
}

/** Whether unique row `j` carries an email (one in sixteen has only a LinkedIn URL; row 0 always has one). */
const hasEmail = (seed: number, j: number) => j === 0 || rand(seed, j, 20) % 16 !== 0;

function uniqueRow(seed: number, i: number): GeneratedRow {
  const r = (k: number) => rand(seed, i, k);
  const first = pick(FIRSTS, r(10));
  const last = pick(LAST_NAMES, r(11));
  const companyNo = r(12) % 50_000;
  const company = `${pick(COMPANY_A, companyNo)} ${pick(COMPANY_B, companyNo >>> 4)}${companyNo % 7 === 0 ? ", Inc." : ""}${
    companyNo % 97 === 0 ? ' "The Original"' : ""
  }`;
  const domain = `${ascii(pick(COMPANY_A, companyNo))}${companyNo}.test`;
  // Unique per (seed, row): the seed's tag keeps two files, and the bench's existing leads, apart.
  const tag = `s${seed.toString(36)}r${i.toString(36)}`;
  const email = hasEmail(seed, i) ? `${ascii(first)}.${ascii(last)}.${tag}@${r(13) % 10 === 0 ? pick(FREE_MAIL, r(14)) : domain}` : null;
  const linkedin = r(15) % 4 === 0 && email ? null : `http://www.linkedin.com/in/${ascii(first)}-${ascii(last)}-${tag}`;
  const [city, state, country] = pick(PLACES, r(16));
  const title = pick(TITLES, r(17));
  const phone = r(18) % 3 === 0 ? `'+49 30 ${String(1_000_000 + (r(19) % 9_000_000))}` : null;
  const apolloId = `${seed.toString(16).padStart(8, "0")}${i.toString(16).padStart(16, "0")}`;
  const cells: GeneratedRow["cells"] = {
    "First Name": first,
    "Last Name": last,
    Title: title,
    "Company Name": company,
    Email: email ?? "",
    "Email Status": email ? pick(STATUSES, r(21)) : "Unavailable",
    Seniority: pick(SENIORITY, r(22)),
    Departments: pick(DEPARTMENTS, r(23)),
    "Mobile Phone": phone ?? "",
    "# Employees": String(1 + (companyNo % 5000)),
    Industry: pick(INDUSTRIES, companyNo),
    "Person Linkedin Url": linkedin ?? "",
    Website: companyNo % 5 === 0 ? "" : `http://www.${domain}`,
    City: city,
    Country: country,
    "Apollo Contact Id": apolloId,
    "Apollo Account Id": `acct${companyNo.toString(16).padStart(8, "0")}`,
  };
  // A few multi-line cells, as Apollo writes street addresses and keyword lists.
  if (r(24) % 40 === 0) cells["Company Address"] = `${companyNo} Hauptstraße,\n${city}, ${country}`;
  if (r(25) % 40 === 0) cells.Keywords = "b2b, saas,\nlead generation";
  const lead: LeadColumns = [
    first,
    last,
    email,
    title,
    company,
    phone?.slice(1) ?? null,
    linkedin?.replace("http://", "https://") ?? null,
    city,
    country,
    apolloId,
  ];
  return { kind: "unique", cells, lead };
}

/** A CSV field as Apollo writes it: quoted only when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const apolloLine = (row: GeneratedRow) => APOLLO_HEADER.map((h) => csvField(row.cells[h] ?? "")).join(",");

/** A COPY … (FORMAT csv) line of the lead a unique row becomes (null as an unquoted empty field), after `prefix` values. */
const floorLine = (prefix: readonly string[], lead: LeadColumns) =>
  [...prefix, ...lead].map((v) => (v === null ? "" : v === "" ? '""' : csvField(v))).join(",");

export type WrittenFile = { path: string; bytes: number; expected: ExpectedCounts };

/**
 * Writes the Apollo export of `rows` data rows (and, when `floorPath` is given, the COPY input
 * of the leads it should produce: `floorPrefix` values such as the workspace id, then
 * FLOOR_COLUMNS) to disk in chunks, waiting for the streams to drain.
 */
export async function writeApolloFile({
  path,
  floorPath,
  floorPrefix = [],
  rows,
  seed,
}: {
  path: string;
  floorPath?: string;
  floorPrefix?: readonly string[];
  rows: number;
  seed: number;
}): Promise<WrittenFile> {
  const out = createWriteStream(path);
  const floor = floorPath ? createWriteStream(floorPath) : null;
  const expected: ExpectedCounts = { rows, inserted: 0, updated: 0, skipped: 0, failed: 0 };
  let bytes = 0;
  const write = async (stream: NodeJS.WritableStream, text: string) => {
    if (!stream.write(text)) await once(stream, "drain");
  };
  const header = `${APOLLO_HEADER.map(csvField).join(",")}\n`;
  bytes += Buffer.byteLength(header);
  await write(out, header);
  for (let start = 0; start < rows; start += 2000) {
    let text = "";
    let floorText = "";
    for (let i = start; i < Math.min(rows, start + 2000); i++) {
      const row = generateRow(seed, i);
      text += `${apolloLine(row)}\n`;
      if (row.kind === "unique") expected.inserted++;
      else if (row.kind === "duplicate") expected.skipped++;
      else expected.failed++;
      if (row.lead) floorText += `${floorLine(floorPrefix, row.lead)}\n`;
    }
    bytes += Buffer.byteLength(text);
    await write(out, text);
    if (floor) await write(floor, floorText);
  }
  await Promise.all([closeStream(out), floor && closeStream(floor)]);
  return { path, bytes, expected };
}

function closeStream(stream: ReturnType<typeof createWriteStream>): Promise<void> {
  return new Promise((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
