import { stringify } from "csv-stringify/sync";

/**
 * The PhantomBuster sandbox's sample agents and their result files: invented LinkedIn-style
 * people, the same on every machine. Names carry accents, some values carry commas (quoted in
 * the CSV), one person comes twice with their profile URL in another case, every address is
 * at a reserved `.example` domain (RFC 2606) and every agent's name starts with "Sample", so
 * the files, the imports and the history they make say what they are.
 */

export type SampleOutcome = { exitCode: number; endType: string; exitMessage: string | null };

export type SampleAgent = {
  id: string;
  name: string;
  script: string;
  scriptId: number;
  /** The saved argument, a JSON string as the swagger has it (a sample session cookie: never shown). */
  argument: string;
  csvName: string;
  s3Folder: string;
  /** How its runs end. */
  outcome: SampleOutcome;
  /** Its run before the sandbox was connected (null: never launched). */
  initialRun: { endedAt: number } | null;
  /** The result file(s) after `runs` runs that ended well (null: none written). */
  files: (runs: number) => Record<string, string> | null;
  /** Whether its container says where its files are (`csvURL`/`jsonUrl` in the result object). */
  resultObjectUrls: boolean;
};

const FINISHED: SampleOutcome = { exitCode: 0, endType: "finished", exitMessage: null };
/** The runs the sample agents had made before anyone connected the sandbox (fixed: deterministic). */
const EARLIER = Date.UTC(2026, 10, 2, 9, 30);

const SALES_NAV_HEADER = [
  "profileUrl",
  "fullName",
  "firstName",
  "lastName",
  "companyName",
  "title",
  "companyId",
  "regularCompanyUrl",
  "industry",
  "location",
  "durationInRole",
  "connectionDegree",
  "vmid",
  "linkedInProfileUrl",
  "defaultProfileUrl",
  "isPremium",
  "query",
  "timestamp",
];

type SamplePerson = { first: string; last: string; slug: string; company: string; title: string; location: string; industry: string };

const PEOPLE: SamplePerson[] = [
  {
    first: "Chloé",
    last: "Lefèvre",
    slug: "sample-chloe-lefevre",
    company: "Tailspin Sample SAS",
    title: "Head of Sales",
    location: "Paris, Île-de-France, France",
    industry: "Airlines/Aviation",
  },
  {
    first: "Renée",
    last: "Dubois-Müller",
    slug: "sample-renee-dubois-muller",
    company: "Dupont, Fils & Cie (sample)",
    title: "Directrice commerciale, Europe",
    location: "Lyon, Auvergne-Rhône-Alpes, France",
    industry: "Wholesale",
  },
  {
    first: "Zoë",
    last: "N'Diaye",
    slug: "sample-zoe-ndiaye",
    company: "Contoso Demo Ltd",
    title: 'VP Sales, "New Markets"',
    location: "Nantes, Pays de la Loire, France",
    industry: "Computer Software",
  },
  {
    first: "François",
    last: "Çelik",
    slug: "sample-francois-celik",
    company: "Fabrikam Example GmbH",
    title: "Head of Business Development",
    location: "Strasbourg, Grand Est, France",
    industry: "Industrial Automation",
  },
  {
    first: "Inès",
    last: "García Núñez",
    slug: "sample-ines-garcia-nunez",
    company: "Proseware Sample SL",
    title: "Sales Director",
    location: "Bordeaux, Nouvelle-Aquitaine, France",
    industry: "Marketing & Advertising",
  },
  {
    first: "Łukasz",
    last: "Wójcik",
    slug: "sample-lukasz-wojcik",
    company: "Adatum Demo BV",
    title: "Head of Sales, France",
    location: "Lille, Hauts-de-France, France",
    industry: "Information Technology & Services",
  },
];

/** One more person found by each later run of the Sales Navigator agent (its result.csv accumulates). */
const LATER: SamplePerson[] = [
  { first: "Anaïs", last: "Moreau", slug: "sample-anais-moreau" },
  { first: "Björn", last: "Åström", slug: "sample-bjorn-astrom" },
  { first: "Maëlle", last: "Le Goff", slug: "sample-maelle-le-goff" },
  { first: "Jérôme", last: "Faure", slug: "sample-jerome-faure" },
  { first: "Noémie", last: "Bénard", slug: "sample-noemie-benard" },
].map((p, i) => ({
  ...p,
  company: ["Litware Example Inc", "Northwind Sample Co", "Tailspin Sample SAS"][i % 3]!,
  title: ["Head of Sales", "Regional Sales Manager, West", "VP Revenue"][i % 3]!,
  location: ["Rennes, Bretagne, France", "Toulouse, Occitanie, France", "Nice, Provence-Alpes-Côte d'Azur, France"][i % 3]!,
  industry: "Computer Software",
}));

const QUERY = "https://www.linkedin.com/sales/search/people?query=(sample)";

function salesNavRow(p: SamplePerson, n: number, vanityCase: (url: string) => string = (url) => url): string[] {
  const vmid = `ACwAASample${String(n).padStart(4, "0")}`;
  return [
    `https://www.linkedin.com/sales/lead/${vmid},NAME_SEARCH,sample`,
    `${p.first} ${p.last}`,
    p.first,
    p.last,
    p.company,
    p.title,
    String(900 + n),
    `https://www.linkedin.com/company/${900 + n}`,
    p.industry,
    p.location,
    `${(n % 11) + 1} months in role`,
    n % 2 ? "2nd" : "3rd",
    vmid,
    `https://www.linkedin.com/in/${vmid}`,
    vanityCase(`https://www.linkedin.com/in/${p.slug}`),
    "false",
    QUERY,
    new Date(EARLIER + n * 60_000).toISOString(),
  ];
}

function salesNavCsv(runs: number): string {
  const rows = PEOPLE.map((p, n) => salesNavRow(p, n));
  // The same person found again by another search, their vanity URL in other letters' case.
  rows.push(salesNavRow(PEOPLE[1]!, 1, (url) => url.replace("sample-renee-dubois-muller", "Sample-Renee-Dubois-Muller")));
  for (let run = 0; run < Math.min(runs, LATER.length); run++) rows.push(salesNavRow(LATER[run]!, PEOPLE.length + run));
  return stringify([SALES_NAV_HEADER, ...rows], { record_delimiter: "\n" });
}

function profilesJson(): string {
  const profile = (p: SamplePerson, email: string) => ({
    linkedinProfileUrl: `https://www.linkedin.com/in/${p.slug}`,
    firstName: p.first,
    lastName: p.last,
    fullName: `${p.first} ${p.last}`,
    linkedinHeadline: `${p.title} at ${p.company}`,
    location: p.location,
    companyName: p.company,
    companyIndustry: p.industry,
    linkedinJobTitle: p.title,
    professionalEmail: email,
  });
  return JSON.stringify([
    profile(PEOPLE[0]!, "chloe.lefevre@tailspin.example"),
    profile(PEOPLE[2]!, "zoe.ndiaye@contoso.example"),
    profile(PEOPLE[4]!, "ines.garcia@proseware.example"),
    // Scraped twice: the address in other letters' case.
    { ...profile(PEOPLE[2]!, "Zoe.NDiaye@Contoso.example"), linkedinHeadline: "VP Sales, New Markets" },
  ]);
}

function newSearchCsv(): string {
  return stringify([SALES_NAV_HEADER, ...[LATER[2]!, LATER[3]!, PEOPLE[5]!].map((p, i) => salesNavRow(p, 40 + i))], {
    record_delimiter: "\n",
  });
}

export const SAMPLE_AGENTS: readonly SampleAgent[] = [
  {
    id: "7300000000000001",
    name: "Sample · Sales Navigator — Heads of Sales in France",
    script: "Sales Navigator Search Export.js",
    scriptId: 3061,
    argument: JSON.stringify({ sessionCookie: "sample-session-cookie", searches: QUERY, numberOfProfiles: 100, csvName: "result" }),
    csvName: "result",
    s3Folder: "sample-sales-navigator",
    outcome: FINISHED,
    initialRun: { endedAt: EARLIER },
    files: (runs) => ({ "result.csv": salesNavCsv(runs) }),
    resultObjectUrls: true,
  },
  {
    id: "7300000000000002",
    name: "Sample · LinkedIn Profile Scraper",
    script: "LinkedIn Profile Scraper.js",
    scriptId: 3112,
    argument: JSON.stringify({ sessionCookie: "sample-session-cookie", csvName: "profiles", enrichWithCompanyData: true }),
    csvName: "profiles",
    s3Folder: "sample-profile-scraper",
    outcome: FINISHED,
    initialRun: { endedAt: EARLIER + 3_600_000 },
    // result.json only: the latest run's profiles.
    files: () => ({ "profiles.json": profilesJson() }),
    resultObjectUrls: false,
  },
  {
    id: "7300000000000003",
    name: "Sample · LinkedIn Search Export (session expired)",
    script: "LinkedIn Search Export.js",
    scriptId: 3149,
    argument: JSON.stringify({ sessionCookie: "sample-expired-cookie", csvName: "result" }),
    csvName: "result",
    s3Folder: "sample-search-export",
    outcome: { exitCode: 1, endType: "finished", exitMessage: "Can't connect to LinkedIn with this session cookie (sample)." },
    initialRun: { endedAt: EARLIER + 7_200_000 },
    files: () => null,
    resultObjectUrls: false,
  },
  {
    id: "7300000000000004",
    name: "Sample · New search (never launched)",
    script: "Sales Navigator Search Export.js",
    scriptId: 3061,
    argument: JSON.stringify({ sessionCookie: "sample-session-cookie", csvName: "result" }),
    csvName: "result",
    s3Folder: "sample-new-search",
    outcome: FINISHED,
    initialRun: null,
    files: (runs) => (runs > 0 ? { "result.csv": newSearchCsv() } : null),
    resultObjectUrls: false,
  },
];

export const sampleAgent = (id: string | undefined) => SAMPLE_AGENTS.find((a) => a.id === id);
