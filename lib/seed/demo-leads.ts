import type { companies, leadActivities, leads } from "@/db/schema";
import type { ActivityType } from "@/db/schema/lead-activities";
import type { EmailStatus, LeadSource, LeadStatus } from "@/db/schema/leads";
import type { ActivityPayloads } from "@/lib/leads/activities";
import { COMPANY_KINDS, NOTES, PERSONAL_MAIL_DOMAINS, SHARED_ROOTS, TAGS, TITLES } from "./demo-catalogue";
import { asciiName, DEMO_LOCALES, writtenName, type DemoLocale, type DemoName } from "./demo-people";
import { createRandom, type Random } from "./prng";

/**
 * The demo companies, leads and timelines of one workspace, generated from a seed: the same
 * plan gives the same rows (ids included), so tests and screenshots are stable. Pure: the
 * caller inserts the rows (lib/seed/insert-demo-leads.ts).
 */

export type NewCompany = typeof companies.$inferInsert & { id: string };
export type NewLead = typeof leads.$inferInsert & { id: string; createdAt: Date };
export type NewActivity = typeof leadActivities.$inferInsert & { id: string; createdAt: Date };

export type DemoPlan = {
  seed: string;
  workspaceId: string;
  /** Every date is at or before this instant. */
  anchor: Date;
  companyCount: number;
  leadCount: number;
  /** Owner user ids (null: unassigned) with their share of the leads. */
  owners: readonly (readonly [string | null, number])[];
  /** Who imports CSVs, creates leads nobody owns and deletes; an admin. */
  adminId: string;
  /** Who hands leads to their owners (admins and managers). */
  assignerIds: readonly string[];
  /** Share of leads soft-deleted, to restore from the "Deleted" filter. */
  deletedShare: number;
};

export type DemoWorkspaceData = { companies: NewCompany[]; leads: NewLead[]; activities: NewActivity[] };

const DAY = 86_400_000;

const STATUS_WEIGHTS: readonly (readonly [LeadStatus, number])[] = [
  ["new", 28],
  ["contacted", 24],
  ["replied", 10],
  ["interested", 8],
  ["meeting", 6],
  ["won", 4],
  ["lost", 9],
  ["unsubscribed", 6],
  ["bounced", 5],
];

const SOURCE_WEIGHTS: readonly (readonly [LeadSource, number])[] = [
  ["csv", 35],
  ["apollo", 28],
  ["phantombuster", 15],
  ["manual", 12],
  ["instantly", 10],
];

const EMAIL_STATUS_WEIGHTS: readonly (readonly [EmailStatus, number])[] = [
  ["valid", 55],
  ["unknown", 25],
  ["risky", 12],
  ["invalid", 8],
];

/** Scores follow the pipeline: a lead in a meeting is usually a better fit than a bounced one. */
const SCORE_RANGES: Record<LeadStatus, readonly [number, number]> = {
  new: [5, 70],
  contacted: [15, 75],
  replied: [35, 85],
  interested: [55, 95],
  meeting: [60, 100],
  won: [70, 100],
  lost: [5, 55],
  unsubscribed: [0, 35],
  bounced: [0, 25],
};

const CSV_FILES = ["apollo-export-2026-06.csv", "saastr-europa-badge-scans.csv", "webinar-attendees.csv", "crm-migration.csv"];

type CompanyDraft = NewCompany & { locale: DemoLocale; popularity: number };

export function buildDemoWorkspace(plan: DemoPlan): DemoWorkspaceData {
  const random = createRandom(plan.seed);
  const companyDrafts = buildCompanies(random, plan);
  const picked = { emails: new Set<string>(), linkedin: new Set<string>() };
  const leadRows: NewLead[] = [];
  const activities: NewActivity[] = [];
  const popularity = companyDrafts.map((c) => [c, c.popularity] as const);
  for (let i = 0; i < plan.leadCount; i++) {
    const company = random.chance(0.9) ? random.weighted(popularity) : null;
    const { lead, timeline } = buildLead(random, plan, company, picked);
    leadRows.push(lead);
    activities.push(...timeline);
  }
  return {
    companies: companyDrafts.map(({ locale: _locale, popularity: _popularity, ...company }) => company),
    leads: leadRows,
    activities,
  };
}

function buildCompanies(random: Random, plan: DemoPlan): CompanyDraft[] {
  const names = new Set<string>();
  const domains = new Set<string>();
  const drafts: CompanyDraft[] = [];
  const localeWeights = DEMO_LOCALES.map((l) => [l, l.weight] as const);
  while (drafts.length < plan.companyCount) {
    const locale = random.weighted(localeWeights);
    const kind = random.pick(COMPANY_KINDS);
    const root: DemoName = random.chance(0.5) ? random.pick(locale.roots) : random.pick(SHARED_ROOTS);
    // A root in another script is a whole name; others are followed by the line of business.
    const base = typeof root === "string" ? `${root} ${kind.noun}` : root[0];
    const slug = typeof root === "string" ? asciiName(base) : asciiName(root);
    if (names.has(base) || domains.has(slug)) continue;
    names.add(base);
    domains.add(slug);
    const legal = random.chance(0.45) ? random.pick(locale.legalForms) : null;
    const name = legal === null ? base : legal === "株式会社" ? `${legal}${base}` : `${base} ${legal}`;
    const [city] = random.pick(locale.cities);
    const hasDomain = random.chance(0.95);
    const domain = hasDomain ? `${slug}.example` : null;
    const employeeCount = random.chance(0.92) ? Math.round(Math.exp(Math.log(3) + random.next() * (Math.log(60_000) - Math.log(3)))) : null;
    const createdAt = new Date(plan.anchor.getTime() - random.int(20, 400) * DAY - random.int(0, DAY - 1));
    drafts.push({
      id: random.uuid(),
      workspaceId: plan.workspaceId,
      name,
      domain,
      website: domain ? `https://www.${domain}` : null,
      linkedinUrl: random.chance(0.8) ? `https://www.linkedin.com/company/${slug}` : null,
      industry: random.chance(0.95) ? kind.industry : null,
      employeeCount,
      annualRevenue: employeeCount !== null && random.chance(0.8) ? employeeCount * random.int(60, 240) * 1000 : null,
      country: locale.country,
      city,
      description: `${name} ${kind.blurb}.`,
      apolloOrganizationId: random.chance(0.6) ? random.hex(24) : null,
      createdAt,
      updatedAt: createdAt,
      locale,
      // A few companies hold many leads, most a handful, some none: lead counts worth sorting by.
      popularity: 1 / Math.sqrt(drafts.length + 1),
    });
  }
  return drafts;
}

function buildLead(
  random: Random,
  plan: DemoPlan,
  company: CompanyDraft | null,
  picked: { emails: Set<string>; linkedin: Set<string> },
): { lead: NewLead; timeline: NewActivity[] } {
  const locale = company && random.chance(0.8) ? company.locale : random.weighted(DEMO_LOCALES.map((l) => [l, l.weight] as const));
  const given = random.pick(locale.given);
  const family = random.pick(locale.family);
  const [city, timeZone] =
    company?.locale === locale && random.chance(0.6)
      ? (locale.cities.find(([c]) => c === company.city) ?? random.pick(locale.cities))
      : random.pick(locale.cities);
  const job = random.weighted(TITLES.map((t) => [t, t.weight] as const));
  const source = random.weighted(SOURCE_WEIGHTS);
  const hasEmail = random.chance(source === "phantombuster" ? 0.4 : 0.97);
  const email = hasEmail ? uniqueEmail(random, given, family, company?.domain ?? null, picked.emails) : null;
  const linkedinUrl =
    !email || source === "phantombuster" || random.chance(0.6) ? uniqueLinkedin(random, given, family, picked.linkedin) : null;

  let status = random.weighted(STATUS_WEIGHTS);
  // Without an address nothing can bounce or be unsubscribed from: they were reached on LinkedIn.
  if (!email && (status === "bounced" || status === "unsubscribed")) status = "contacted";
  const emailStatus: EmailStatus = !email ? "unknown" : status === "bounced" ? "invalid" : random.weighted(EMAIL_STATUS_WEIGHTS);
  const ownerId = random.weighted(plan.owners);

  const anchor = plan.anchor.getTime();
  const earliest = Math.max(company?.createdAt?.getTime() ?? 0, anchor - 365 * DAY);
  const created = random.int(earliest, anchor - 3_600_000);
  const createdBy = source === "manual" || source === "csv" ? (ownerId ?? plan.adminId) : null;
  const id = random.uuid();
  const span = Math.min(anchor - created, 150 * DAY);
  const at = (share: number) => new Date(created + Math.round(share * span));
  // Payloads in the shapes the timeline shows (lib/leads/activities.ts).
  const activity = <T extends ActivityType>(
    type: T,
    createdAt: Date,
    actorId: string | null,
    payload: ActivityPayloads[T],
  ): NewActivity => ({
    id: random.uuid(),
    workspaceId: plan.workspaceId,
    leadId: id,
    type,
    actorId,
    payload,
    createdAt,
  });

  const timeline: NewActivity[] = [
    source === "manual"
      ? activity("created", new Date(created), createdBy, { source })
      : activity("imported", new Date(created), createdBy, source === "csv" ? { source, file: random.pick(CSV_FILES) } : { source }),
  ];
  const edits: number[] = [created];
  if (ownerId && random.chance(0.35)) {
    const when = at(random.next() * 0.05);
    timeline.push(activity("owner_changed", when, random.pick(plan.assignerIds), { before: null, after: ownerId }));
    edits.push(when.getTime());
  }
  const path = statusPath(random, status);
  const shares = path.map(() => 0.05 + random.next() * 0.9).sort((a, b) => a - b);
  let before: LeadStatus = "new";
  path.forEach((after, i) => {
    const when = at(shares[i]!);
    const byMail = after === "bounced" || after === "unsubscribed";
    timeline.push(activity("status_changed", when, byMail ? null : (ownerId ?? plan.adminId), { before, after }));
    edits.push(when.getTime());
    before = after;
  });
  const noteCount = random.chance(0.3) ? (random.chance(0.25) ? 2 : 1) : 0;
  for (let n = 0; n < noteCount; n++) {
    timeline.push(activity("note_added", at(random.next()), ownerId ?? plan.adminId, { body: random.pick(NOTES) }));
  }

  let deletedAt: Date | null = null;
  if (random.chance(plan.deletedShare)) {
    const last = Math.max(...timeline.map((a) => a.createdAt.getTime()));
    deletedAt = new Date(Math.min(anchor, last + random.int(1, 5) * DAY));
    timeline.push(activity("deleted", deletedAt, plan.adminId, {}));
    edits.push(deletedAt.getTime());
  }

  const tagCount = random.weighted([
    [0, 40],
    [1, 35],
    [2, 18],
    [3, 7],
  ] as const);
  const [minScore, maxScore] = SCORE_RANGES[status];
  const lead: NewLead = {
    id,
    workspaceId: plan.workspaceId,
    firstName: writtenName(given),
    lastName: writtenName(family),
    email,
    emailStatus,
    emailVerifiedAt: emailStatus === "unknown" ? null : new Date(Math.min(anchor, created + random.int(0, 3) * DAY)),
    title: job.title,
    seniority: job.seniority,
    department: job.department,
    phone: random.chance(0.45) ? `${locale.phonePrefix} ${random.int(100, 999)} ${random.int(100, 999)} ${random.int(1000, 9999)}` : null,
    linkedinUrl,
    city,
    country: locale.country,
    timeZone,
    companyId: company?.id ?? null,
    ownerId,
    status,
    score: random.int(minScore, maxScore),
    source,
    tags: random.sample(TAGS, tagCount),
    apolloPersonId: source === "apollo" ? random.hex(24) : null,
    instantlyLeadId: source === "instantly" ? random.uuid() : null,
    createdBy,
    createdAt: new Date(created),
    updatedAt: new Date(Math.max(...edits)),
    deletedAt,
    deletedBy: deletedAt ? plan.adminId : null,
  };
  return { lead, timeline };
}

/** The statuses a lead went through after "new" to reach `status`, in order. */
function statusPath(random: Random, status: LeadStatus): LeadStatus[] {
  const pipeline: LeadStatus[] = ["contacted", "replied", "interested", "meeting"];
  switch (status) {
    case "new":
      return [];
    case "contacted":
    case "replied":
    case "interested":
    case "meeting":
      return pipeline.slice(0, pipeline.indexOf(status) + 1);
    case "won":
      return [...pipeline, "won"];
    case "lost":
      return [...pipeline.slice(0, random.int(1, 4)), "lost"];
    case "unsubscribed":
      return [...pipeline.slice(0, random.int(1, 2)), "unsubscribed"];
    case "bounced":
      return ["contacted", "bounced"];
  }
}

function uniqueEmail(random: Random, given: DemoName, family: DemoName, domain: string | null, taken: Set<string>): string {
  const g = asciiName(given).replace(/-/g, "");
  const f = asciiName(family).replace(/-/g, "");
  const host = domain ?? random.pick(PERSONAL_MAIL_DOMAINS);
  const local = domain ? random.pick([`${g}.${f}`, `${g[0]}${f}`, `${g}`, `${g}_${f}`]) : `${g}.${f}${random.int(1, 99)}`;
  let candidate = `${local}@${host}`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${local}${n}@${host}`;
  taken.add(candidate);
  // Some people type their address with capitals; uniqueness is on the lower-cased value.
  return random.chance(0.05) ? candidate.replace(/^./, (c) => c.toUpperCase()) : candidate;
}

function uniqueLinkedin(random: Random, given: DemoName, family: DemoName, taken: Set<string>): string {
  let url: string;
  do url = `https://www.linkedin.com/in/${asciiName(given)}-${asciiName(family)}-${random.hex(6)}`;
  while (taken.has(url));
  taken.add(url);
  return url;
}
