/**
 * The fake Apollo's people: person n of an endless, deterministic list, as the search shows them
 * (locked) and as enrichment reveals them. Ids are 24 hex characters, like Apollo's.
 */
const FIRST = ["Ana", "Bruno", "Chloé", "Dmitri", "Esther", "Farid", "Greta", "Hiro", "Inès", "Jonas", "Kemi", "Luca"];
const LAST = ["Ørsted", "Silva", "Nakamura", "Okafor", "Dubois", "Kowalski", "Haddad", "Larsen", "Moreau", "Schmidt", "Rossi"];
const TITLES = ["Head of Sales", "VP Marketing", "Founder", "Sales Manager", "Chief Revenue Officer", "Growth Lead"];
const SENIORITIES = ["head", "vp", "founder", "manager", "c_suite", "senior"];
const COMPANIES = [
  "Acme Robotics",
  "Globex Foods",
  "Initech Cloud",
  "Umbrella Health",
  "Stark Logistics",
  "Wayne Analytics",
  "Hooli Retail",
];

export function fakeApolloId(n: number): string {
  return `fa${n.toString(16).padStart(22, "0")}`;
}

export function fakeApolloIndex(id: string): number | undefined {
  return /^fa[0-9a-f]{22}$/.test(id) ? parseInt(id.slice(2), 16) : undefined;
}

function facts(n: number) {
  const first = FIRST[n % FIRST.length]!;
  const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
  const company = COMPANIES[n % COMPANIES.length]!;
  const domain = `${company.toLowerCase().replace(/[^a-z]+/g, "-")}.example`;
  return { first, last, company, domain, title: TITLES[n % TITLES.length]!, seniority: SENIORITIES[n % SENIORITIES.length]! };
}

const ascii = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/ø/g, "o")
    .replace(/Ø/g, "O")
    .toLowerCase();

/** As People API Search returns them (vendors file §1.2): no email, surname obfuscated. */
export function fakeSearchPerson(n: number) {
  const f = facts(n);
  return {
    id: fakeApolloId(n),
    first_name: f.first,
    last_name_obfuscated: `${f.last.slice(0, 2)}***${f.last.slice(-1)}`,
    title: f.title,
    last_refreshed_at: "2026-11-04T23:20:32.690+00:00",
    has_email: true,
    has_city: true,
    has_state: false,
    has_country: true,
    has_direct_phone: "Yes",
    organization: { name: f.company, has_industry: true, has_phone: false, has_employee_count: true },
  };
}

/** As People Enrichment reveals them (§1.4), with fields the client does not read. */
export function fakeEnrichedPerson(n: number) {
  const f = facts(n);
  return {
    id: fakeApolloId(n),
    first_name: f.first,
    last_name: f.last,
    name: `${f.first} ${f.last}`,
    email: `${ascii(f.first)}.${ascii(f.last)}.${n}@${f.domain}`,
    email_status: "verified",
    title: f.title,
    headline: `${f.title} at ${f.company}`,
    seniority: f.seniority,
    departments: ["sales"],
    linkedin_url: `http://www.linkedin.com/in/${ascii(f.first)}-${ascii(f.last)}-${n}`,
    city: "Lyon",
    state: null,
    country: "France",
    organization_id: `org${fakeApolloId(n % COMPANIES.length).slice(3)}`,
    employment_history: [],
    intent_strength: null,
    organization: {
      id: `org${fakeApolloId(n % COMPANIES.length).slice(3)}`,
      name: f.company,
      primary_domain: f.domain,
      website_url: `http://www.${f.domain}`,
      industry: "information technology & services",
      estimated_num_employees: 120 + (n % COMPANIES.length) * 40,
      country: "France",
      technology_names: ["Salesforce"],
    },
  };
}

export type FakeMatchDetail = {
  id?: string;
  email?: string;
  linkedin_url?: string;
  first_name?: string;
  last_name?: string;
  domain?: string;
};

/**
 * Which person a People Enrichment detail names, as Apollo matches (vendors file §1.4): by id,
 * else email, else LinkedIn URL, else first + last name at the domain. Undefined: no match.
 */
export function fakeMatchIndex(d: FakeMatchDetail, population: number): number | undefined {
  const within = (n: number | undefined) => (n !== undefined && n < population ? n : undefined);
  if (d.id) return within(fakeApolloIndex(d.id));
  const byNumber = (text: string | undefined, pattern: RegExp, check: (n: number) => boolean) => {
    const n = Number(pattern.exec(text ?? "")?.[1]);
    return Number.isInteger(n) && check(n) ? within(n) : undefined;
  };
  const email = byNumber(d.email, /\.(\d+)@/, (n) => fakeEnrichedPerson(n).email === d.email!.trim().toLowerCase());
  if (email !== undefined) return email;
  const slug = (url: string) => url.replace(/^https?:\/\/(www\.)?/, "").replace(/\/$/, "");
  const linkedin = byNumber(d.linkedin_url, /-(\d+)\/?$/, (n) => slug(fakeEnrichedPerson(n).linkedin_url) === slug(d.linkedin_url!));
  if (linkedin !== undefined) return linkedin;
  if (d.first_name && d.last_name && d.domain) {
    for (let n = 0; n < Math.min(population, 5_000); n++) {
      const f = facts(n);
      if (f.first === d.first_name && f.last === d.last_name && f.domain === d.domain.toLowerCase()) return n;
    }
  }
  return undefined;
}
