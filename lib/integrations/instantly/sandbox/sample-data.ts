/**
 * The Instantly sandbox's sample workspace: four campaigns, five sending accounts, the last 30
 * days of daily analytics, 120 leads and the replies some of them sent, in Instantly's API v2
 * shapes (vendors/instantly-resend.md §1.5–1.9). The same on every machine for a given day:
 * everything is computed from the campaign, the lead's number and the date, never random.
 * Ids never change, so a sync of the next day updates rows instead of adding new ones; dates
 * are counted back from today, so the chart always shows the last month. The people are
 * invented, and every address is at a reserved `.example` domain (RFC 2606): nothing sent to
 * them can be delivered. Every record says `sample_data: true`.
 */
export const SANDBOX_WINDOW_DAYS = 30;
export const SANDBOX_LEADS_PER_CAMPAIGN = 40;

const DAY_MS = 86_400_000;

export type SampleCampaignSpec = {
  n: number;
  name: string;
  status: 0 | 1 | 2;
  /** Days before today the campaign was created (and started sending, unless a draft). */
  ageDays: number;
  /** Days before today it was paused (sends nothing after). */
  pausedDaysAgo?: number;
  /** A typical weekday's sends. */
  volume: number;
};

const CAMPAIGNS: SampleCampaignSpec[] = [
  { n: 1, name: "Q4 SaaS founders: intro", status: 1, ageDays: 29, volume: 64 },
  { n: 2, name: "Logistics ops leaders: follow-up", status: 1, ageDays: 20, volume: 42 },
  { n: 3, name: "Fintech CFO outreach", status: 2, ageDays: 27, pausedDaysAgo: 6, volume: 35 },
  { n: 4, name: "Agency partners (draft)", status: 0, ageDays: 2, volume: 0 },
];

const SENDERS = [
  { first: "Olivia", last: "Hartley" },
  { first: "Marcus", last: "Bennett" },
  { first: "Priya", last: "Raman" },
  { first: "Daniel", last: "Okafor" },
  { first: "Sofia", last: "Lindqvist" },
];
const SENDER_DOMAIN = "meridianreach.example";

const FIRST = [
  "Emma",
  "Lucas",
  "Hannah",
  "Noah",
  "Chloé",
  "Ethan",
  "Amara",
  "Jonas",
  "Isabel",
  "Ravi",
  "Grace",
  "Mateo",
  "Yuki",
  "Oliver",
  "Fatima",
  "Liam",
  "Zoe",
  "Tomás",
  "Nina",
  "Samuel",
  "Aisha",
  "Felix",
  "Clara",
  "Kwame",
];
const LAST = [
  "Whitaker",
  "Moreau",
  "Schneider",
  "Patel",
  "Gallagher",
  "Novak",
  "Castillo",
  "Brennan",
  "Kowalski",
  "Nakamura",
  "Adeyemi",
  "Fischer",
  "Sullivan",
  "Rossi",
  "Hughes",
  "Lindgren",
  "Mensah",
  "Duarte",
  "Chen",
];
const COMPANIES = [
  { name: "Brightlane Logistics", domain: "brightlane.example" },
  { name: "Quarry Analytics", domain: "quarryanalytics.example" },
  { name: "Harbor & Finch", domain: "harborfinch.example" },
  { name: "Tidewater Software", domain: "tidewater.example" },
  { name: "Ledgerline Finance", domain: "ledgerline.example" },
  { name: "Northpeak Freight", domain: "northpeak.example" },
  { name: "Copperleaf Studio", domain: "copperleaf.example" },
  { name: "Sable Payments", domain: "sablepay.example" },
  { name: "Orchard Cloud", domain: "orchardcloud.example" },
  { name: "Kestrel Robotics", domain: "kestrel.example" },
];
const TITLES = [
  "Founder & CEO",
  "Head of Operations",
  "CFO",
  "VP Sales",
  "Director of Logistics",
  "Head of Growth",
  "COO",
  "Finance Director",
];
const REPLIES = [
  "Thanks for reaching out. This is timely: can you send over a couple of times next week?",
  "Not the right moment for us, maybe check back in Q2.",
  "Interesting. Who else in our space are you working with?",
  "Please take me off your list.",
  "Happy to chat. I'm copying our ops lead who owns this.",
  "We already use something similar, but I'd be curious about pricing.",
];

const pad = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** Stable, time-ordered-looking ids (UUIDv7 layout), so paging by id is chronological. */
export const sandboxCampaignId = (n: number) => `019a5e00-0000-7000-8000-${pad(n, 12)}`;
export const sandboxLeadId = (n: number) => `019a5e01-0000-7000-8000-${pad(n, 12)}`;
export const sandboxEmailId = (n: number) => `019a5e02-0000-7000-8000-${pad(n, 12)}`;

/** A number in [0, 1) from the inputs, the same every time (FNV-1a, then a few xorshifts). */
function unit(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join("|")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h << 13;
  h >>>= 0;
  h ^= h >>> 17;
  h ^= h << 5;
  return (h >>> 0) / 2 ** 32;
}

const ascii = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

const startOfDay = (today: Date) => Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

export function sampleSenders(today: Date) {
  const day0 = startOfDay(today);
  return SENDERS.map((s, i) => ({
    email: `${ascii(s.first)}.${ascii(s.last)}@${SENDER_DOMAIN}`,
    first_name: s.first,
    last_name: s.last,
    status: 1,
    warmup_status: 1,
    provider_code: i % 2 === 0 ? 2 : 3,
    daily_limit: 40,
    sending_gap: 10,
    stat_warmup_score: 92 + ((i * 3) % 8),
    timestamp_created: iso(day0 - (60 + i * 7) * DAY_MS),
    timestamp_updated: iso(day0 - DAY_MS),
    sample_data: true,
  }));
}

export function sampleCampaigns(today: Date) {
  const day0 = startOfDay(today);
  const senders = sampleSenders(today).map((s) => s.email);
  return CAMPAIGNS.map((c) => ({
    id: sandboxCampaignId(c.n),
    name: c.name,
    status: c.status,
    timestamp_created: iso(day0 - c.ageDays * DAY_MS + 9 * 3_600_000),
    timestamp_updated: iso(day0 - (c.pausedDaysAgo ?? 1) * DAY_MS + 15 * 3_600_000),
    campaign_schedule: {
      schedules: [
        {
          name: "Weekdays",
          timing: { from: "09:00", to: "17:00" },
          days: { "0": false, "1": true, "2": true, "3": true, "4": true, "5": true, "6": false },
          timezone: "America/Detroit",
        },
      ],
    },
    sequences: [
      {
        steps: [
          { type: "email", delay: 0, variants: [{ subject: `Quick question, {{firstName}}`, body: "Hi {{firstName}}, …" }] },
          { type: "email", delay: 3, variants: [{ subject: `Re: Quick question, {{firstName}}`, body: "Following up …" }] },
        ],
      },
    ],
    email_list: senders.filter((_, i) => (i + c.n) % 2 === 0 || i === c.n % senders.length),
    daily_limit: c.volume + 20,
    stop_on_reply: true,
    open_tracking: true,
    link_tracking: false,
    sample_data: true,
  }));
}

/** One campaign's days, from its first sending day (or 30 days ago) to today. */
export function sampleDailyAnalytics(campaignId: string, today: Date) {
  const spec = CAMPAIGNS.find((c) => sandboxCampaignId(c.n) === campaignId);
  if (!spec || spec.status === 0) return [];
  const day0 = startOfDay(today);
  const first = Math.max(spec.ageDays, 0);
  const days = [];
  for (let back = Math.min(first, SANDBOX_WINDOW_DAYS - 1); back >= 0; back--) {
    const ms = day0 - back * DAY_MS;
    const date = isoDay(ms);
    const weekday = new Date(ms).getUTCDay();
    const paused = spec.pausedDaysAgo !== undefined && back < spec.pausedDaysAgo;
    const ramp = Math.min(1, (first - back + 1) / 5);
    const weekend = weekday === 0 || weekday === 6;
    const r = (what: string) => unit(campaignId, date, what);
    const sent = paused || weekend ? 0 : Math.round(spec.volume * ramp * (0.8 + 0.4 * r("sent")));
    const contacted = Math.round(sent * (0.55 + 0.2 * r("contacted")));
    const opened = Math.round(sent * (0.38 + 0.2 * r("opened")));
    const uniqueOpened = Math.round(opened * (0.7 + 0.2 * r("uo")));
    // Replies and opens keep trickling in for a few days after a pause.
    const tail = paused && back >= spec.pausedDaysAgo! - 3 ? 2 : 0;
    const replies = Math.round(sent * (0.03 + 0.05 * r("replies"))) + (weekend ? 0 : tail);
    const uniqueReplies = Math.max(0, replies - Math.round(replies * 0.2 * r("ur")));
    const automatic = Math.round(sent * 0.01 * r("auto"));
    const clicks = Math.round(sent * (0.02 + 0.04 * r("clicks")));
    const opportunities = Math.round(uniqueReplies * (0.2 + 0.3 * r("opp")));
    days.push({
      date,
      sent,
      contacted,
      new_leads_contacted: contacted,
      opened,
      unique_opened: uniqueOpened,
      replies,
      unique_replies: uniqueReplies,
      replies_automatic: automatic,
      unique_replies_automatic: automatic,
      clicks,
      unique_clicks: Math.round(clicks * 0.8),
      opportunities,
      unique_opportunities: opportunities,
    });
  }
  return days;
}

/** 40 leads in each campaign that sends: some bounced (−1), some unsubscribed (−2), some replied. */
export function sampleLeads(today: Date) {
  return leadsWithReplies(today).map(({ lead }) => lead);
}

function leadsWithReplies(today: Date) {
  const day0 = startOfDay(today);
  const campaigns = CAMPAIGNS.filter((c) => c.status !== 0);
  const senders = sampleSenders(today).map((s) => s.email);
  return campaigns.flatMap((c, ci) =>
    Array.from({ length: SANDBOX_LEADS_PER_CAMPAIGN }, (_, i) => {
      const n = ci * SANDBOX_LEADS_PER_CAMPAIGN + i + 1;
      const first = FIRST[(n * 7) % FIRST.length]!;
      const last = LAST[(n * 5 + ci) % LAST.length]!;
      const company = COMPANIES[(n * 3 + ci) % COMPANIES.length]!;
      const status = n % 17 === 0 ? -1 : n % 23 === 0 ? -2 : i < 25 ? 1 : 3;
      const replied = status > 0 && n % 6 === 0;
      const created = day0 - c.ageDays * DAY_MS + (8 * 3_600_000 + i * 60_000);
      const contactedAt = created + (1 + (i % Math.max(1, c.ageDays - 1))) * DAY_MS;
      const lead = {
        id: sandboxLeadId(n),
        timestamp_created: iso(created),
        timestamp_updated: iso(Math.min(contactedAt, day0)),
        campaign: sandboxCampaignId(c.n),
        status,
        email: `${ascii(first)}.${ascii(last)}${n}@${company.domain}`,
        first_name: first,
        last_name: last,
        company_name: company.name,
        company_domain: company.domain,
        job_title: TITLES[(n * 11) % TITLES.length]!,
        website: `https://www.${company.domain}`,
        personalization: null,
        payload: { firstName: first, lastName: last, companyName: company.name },
        email_open_count: status === -1 ? 0 : 1 + (n % 4),
        email_reply_count: replied ? 1 : 0,
        email_click_count: n % 5 === 0 ? 1 : 0,
        lt_interest_status: replied ? (n % 12 === 0 ? 1 : 0) : null,
        verification_status: status === -1 ? -1 : 1,
        timestamp_last_contact: iso(Math.min(contactedAt, day0)),
        upload_method: "api",
        sample_data: true,
      };
      return { lead, replied, sender: senders[n % senders.length]! };
    }),
  );
}

/** The replies the leads that replied sent, oldest first; only those already received by `now`. */
export function sampleReceivedEmails(now: Date) {
  const nowMs = now.getTime();
  const campaigns = new Map(sampleCampaigns(now).map((c) => [c.id, c]));
  return leadsWithReplies(now)
    .filter((l) => l.replied)
    .map(({ lead, sender }, k) => {
      const received = Date.parse(lead.timestamp_updated) + (2 + (k % 5)) * 3_600_000;
      const campaign = campaigns.get(lead.campaign)!;
      const text = REPLIES[k % REPLIES.length]!;
      return {
        id: sandboxEmailId(k + 1),
        timestamp_created: iso(received),
        timestamp_email: iso(received),
        message_id: `<${sandboxEmailId(k + 1)}@mail.${lead.company_domain}>`,
        subject: `Re: Quick question, ${lead.first_name}`,
        from_address_email: lead.email,
        to_address_email_list: sender,
        body: { text: `${text}\n\n${lead.first_name}`, html: null },
        campaign_id: campaign.id,
        lead: lead.email,
        lead_id: lead.id,
        eaccount: sender,
        ue_type: 2,
        step: 1,
        is_unread: k % 3 === 0,
        is_auto_reply: false,
        thread_id: `thread-${lead.id}`,
        content_preview: text.slice(0, 80),
        sample_data: true,
      };
    })
    .filter((e) => Date.parse(e.timestamp_created) <= nowMs)
    .sort((a, b) => (a.timestamp_created < b.timestamp_created ? -1 : a.timestamp_created > b.timestamp_created ? 1 : 0));
}
