/**
 * The Apollo sandbox's sample population: 2,500 invented people at invented companies, the
 * same on every machine. Every address is at a reserved `.example` domain (RFC 2606), so no
 * email to a sample person can ever be delivered, and every record says `sample_data: true`.
 */
export const SANDBOX_POPULATION = 2_500;

const FIRST = [
  "Alex",
  "Sam",
  "Robin",
  "Jordan",
  "Taylor",
  "Morgan",
  "Casey",
  "Jamie",
  "Riley",
  "Avery",
  "Quinn",
  "Noa",
  "Léa",
  "Mateo",
  "Aiko",
];
const LAST = ["Sample", "Example", "Demo", "Placeholder", "Testa", "Muster", "Exemplo", "Probe", "Fictif", "Mock", "Dummy"];
const TITLES: { title: string; seniority: string }[] = [
  { title: "Head of Sales", seniority: "head" },
  { title: "VP Marketing", seniority: "vp" },
  { title: "Founder & CEO", seniority: "founder" },
  { title: "Sales Manager", seniority: "manager" },
  { title: "Chief Revenue Officer", seniority: "c_suite" },
  { title: "Senior Account Executive", seniority: "senior" },
  { title: "Director of Growth", seniority: "director" },
  { title: "Marketing Manager", seniority: "manager" },
];
const COMPANIES: { name: string; domain: string; industry: string; employees: number; city: string; country: string }[] = [
  {
    name: "Northwind Sample Co",
    domain: "northwind.example",
    industry: "wholesale",
    employees: 45,
    city: "Seattle",
    country: "United States",
  },
  {
    name: "Contoso Demo Ltd",
    domain: "contoso.example",
    industry: "computer software",
    employees: 320,
    city: "London",
    country: "United Kingdom",
  },
  {
    name: "Fabrikam Example GmbH",
    domain: "fabrikam.example",
    industry: "industrial automation",
    employees: 1200,
    city: "Berlin",
    country: "Germany",
  },
  {
    name: "Tailspin Sample SAS",
    domain: "tailspin.example",
    industry: "airlines/aviation",
    employees: 85,
    city: "Lyon",
    country: "France",
  },
  {
    name: "Adatum Demo BV",
    domain: "adatum.example",
    industry: "information technology & services",
    employees: 18,
    city: "Amsterdam",
    country: "Netherlands",
  },
  { name: "Litware Example Inc", domain: "litware.example", industry: "publishing", employees: 540, city: "Toronto", country: "Canada" },
  {
    name: "Proseware Sample SL",
    domain: "proseware.example",
    industry: "marketing & advertising",
    employees: 9,
    city: "Madrid",
    country: "Spain",
  },
];

export type SamplePerson = {
  n: number;
  id: string;
  first: string;
  last: string;
  title: string;
  seniority: string;
  company: (typeof COMPANIES)[number];
};

export function sandboxApolloId(n: number): string {
  return `5a${n.toString(16).padStart(22, "0")}`;
}

export function sandboxApolloIndex(id: string): number | undefined {
  if (!/^5a[0-9a-f]{22}$/.test(id)) return undefined;
  const n = parseInt(id.slice(2), 16);
  return n < SANDBOX_POPULATION ? n : undefined;
}

export function samplePerson(n: number): SamplePerson {
  const role = TITLES[(n * 7) % TITLES.length]!;
  return {
    n,
    id: sandboxApolloId(n),
    first: FIRST[n % FIRST.length]!,
    last: LAST[Math.floor(n / FIRST.length) % LAST.length]!,
    title: role.title,
    seniority: role.seniority,
    company: COMPANIES[(n * 3) % COMPANIES.length]!,
  };
}

const ascii = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

/** As People API Search shows a person: locked (no email), surname obfuscated. */
export function searchRecordOf(p: SamplePerson) {
  return {
    id: p.id,
    first_name: p.first,
    last_name_obfuscated: `${p.last.slice(0, 2)}***${p.last.slice(-1)}`,
    title: p.title,
    last_refreshed_at: "2026-11-01T00:00:00.000+00:00",
    has_email: true,
    has_city: true,
    has_state: false,
    has_country: true,
    has_direct_phone: "Maybe: please request direct dial via people/bulk_match",
    organization: { name: p.company.name, has_industry: true, has_phone: false, has_employee_count: true },
    sample_data: true,
  };
}

/** As People Enrichment reveals a person. */
export function enrichedRecordOf(p: SamplePerson) {
  const orgId = `5b${p.company.domain.length.toString(16).padStart(22, "0")}`;
  return {
    id: p.id,
    first_name: p.first,
    last_name: p.last,
    name: `${p.first} ${p.last}`,
    email: `${ascii(p.first)}.${ascii(p.last)}${p.n}@${p.company.domain}`,
    email_status: "verified",
    title: p.title,
    headline: `${p.title} at ${p.company.name}`,
    seniority: p.seniority,
    departments: ["sales"],
    linkedin_url: null,
    city: p.company.city,
    state: null,
    country: p.company.country,
    organization_id: orgId,
    organization: {
      id: orgId,
      name: p.company.name,
      primary_domain: p.company.domain,
      website_url: `https://www.${p.company.domain}`,
      industry: p.company.industry,
      estimated_num_employees: p.company.employees,
      city: p.company.city,
      country: p.company.country,
      sample_data: true,
    },
    sample_data: true,
  };
}

export type SandboxMatchDetail = {
  id?: string;
  email?: string;
  linkedin_url?: string;
  first_name?: string;
  last_name?: string;
  domain?: string;
  organization_name?: string;
};

const hashOf = (text: string) => {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0)!, 16777619) >>> 0;
  return h;
};

/**
 * People Enrichment in the sandbox: a sample person by id or by their sample address; anyone
 * else described by an address, a LinkedIn URL or a name at a domain gets an invented but
 * stable profile built around what was given (so the demo's own leads can be enriched), except
 * about one in six, whom the sandbox "does not find", as Apollo sometimes does not.
 */
export function sandboxMatch(d: SandboxMatchDetail) {
  if (d.id) {
    const n = sandboxApolloIndex(d.id);
    return n === undefined ? null : enrichedRecordOf(samplePerson(n));
  }
  const sampleN = Number(/(\d+)@[a-z]+\.example$/.exec(d.email?.trim().toLowerCase() ?? "")?.[1]);
  if (Number.isInteger(sampleN) && sampleN < SANDBOX_POPULATION) {
    const record = enrichedRecordOf(samplePerson(sampleN));
    if (record.email === d.email?.trim().toLowerCase()) return record;
  }
  const key = [d.email, d.linkedin_url, d.first_name, d.last_name, d.domain].map((v) => v?.trim().toLowerCase() ?? "").join("|");
  if (key.replace(/\|/g, "") === "") return null;
  const h = hashOf(key);
  if (h % 6 === 0) return null;
  const domain = d.domain?.trim().toLowerCase() || d.email?.split("@")[1]?.trim().toLowerCase() || null;
  const local = d.email?.split("@")[0] ?? "";
  const [guessFirst, guessLast] = local.split(/[._-]/);
  const cap = (s: string | undefined) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : null);
  const first = d.first_name ?? cap(guessFirst);
  const last = d.last_name ?? cap(guessLast);
  const role = TITLES[h % TITLES.length]!;
  const place = COMPANIES[(h >>> 4) % COMPANIES.length]!;
  const orgId = domain ? `5d${hashOf(domain).toString(16).padStart(22, "0")}` : null;
  return {
    id: `5c${h.toString(16).padStart(22, "0")}`,
    first_name: first,
    last_name: last,
    name: [first, last].filter(Boolean).join(" ") || null,
    email: d.email?.trim() ?? null,
    email_status: d.email ? "verified" : null,
    title: role.title,
    headline: role.title,
    seniority: role.seniority,
    departments: ["sales"],
    linkedin_url: d.linkedin_url ?? null,
    city: place.city,
    state: null,
    country: place.country,
    organization_id: orgId,
    organization: domain
      ? {
          id: orgId,
          name: d.organization_name ?? cap(domain.split(".")[0]),
          primary_domain: domain,
          website_url: `https://www.${domain}`,
          industry: place.industry,
          estimated_num_employees: 10 + (h % 990),
          city: place.city,
          country: place.country,
          sample_data: true,
        }
      : null,
    sample_data: true,
  };
}
