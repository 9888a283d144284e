import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { BenchWorkspace } from "./bench-leads-data";

/**
 * The data of `npm run bench:analytics`: a workspace's outbound over the last `days` days,
 * generated inside PostgreSQL (INSERT … SELECT over generate_series; every value derived from a
 * hash of the row number, so each run gets the same rows).
 *
 *   - Mailboxes (sending identities) and campaigns launched one after another across the
 *     period, each with 3 or 4 steps, A/B (some A/B/C) variants on the first steps, a rotation of
 *     mailboxes, an author; a few campaigns launched through Instantly instead, with Instantly's
 *     synced daily analytics.
 *   - Leads arriving over the period, most in imports of 1,000 (one creation time, source and
 *     owner per import: CSV, Apollo, PhantomBuster), the rest one by one (manual, Instantly);
 *     two in three enrolled (at most once) in a campaign running when it arrived.
 *   - Each enrollment's emails, step after step until a reply, a hard bounce or an
 *     unsubscribe, with the funnel's first times (delivered, opened, clicked, replied,
 *     interested, meeting, bounced, complained, unsubscribed; nothing later than now), and the
 *     provider's events that set them (sent, delivered, repeated opens, clicks, bounces,
 *     complaints, replies): about 2 emails and 6 events per lead.
 *   - Each lead's status as its emails left it (contacted, replied, lost, interested, meeting,
 *     won, bounced, unsubscribed; new when never emailed) and each mailbox's sends per day.
 *
 * The rows are written with triggers off (session_replication_role = replica, set by the caller),
 * consistent by construction. The analytics rollups are then backfilled the way migration 0055
 * backfills existing data, with its own functions (private.analytics_message_upsert_sql and
 * private.analytics_lead_upsert_sql), instead of through the triggers row by row:
 *   - messages: the triggers add each statement's new rows and take off its old rows, so what
 *     they hold for a message after any sequence of updates is its final row's contribution;
 *     the backfill of the final rows is therefore exactly what the send and event paths would
 *     have left, in one statement instead of millions;
 *   - leads: a status change moves a lead at the moment of the change, which a backfill of
 *     current rows cannot know (the migration counts existing leads from their creation in
 *     their current status). So the history is replayed through the same function with the
 *     rows the update trigger would have seen: new at creation, contacted at the first email,
 *     its final status when its emails put it there (as the trigger would, with that moment
 *     instead of now()). The pipeline rollup then has the rows production would have.
 */

export type AnalyticsLoadOptions = {
  leads: number;
  days: number;
  /** Campaigns sent through our sequences (Resend); `instantly` more are launched through Instantly. */
  campaigns: number;
  instantly: number;
  identities: number;
  /** The members who own leads and author campaigns. */
  ownerIds: string[];
};

export type LoadedCampaign = { id: string; name: string; delivery: "resend" | "instantly"; steps: number; variants: string[] };

/** `h(x, k)`: a deterministic pseudo-random integer in [0, 2^31) per integer expression x and purpose k. */
const h = (x: string, k: number) => `(hashint8((${x})::bigint * 1000 + ${k}) & 2147483647)`;
/** Uniform in [0, 1). */
const u = (x: string, k: number) => `(${h(x, k)} / 2147483648.0)`;

const CAMPAIGN_NAMES = [
  "Q3 CFO outreach",
  "Series A founders",
  "Logistics ops leaders",
  "Webinar follow-up",
  "DACH manufacturing",
  "Nordic fintech",
  "Healthcare IT buyers",
  "Retail expansion",
  "Agency partners",
  "Conference Berlin leads",
  "Churned trials win-back",
  "Energy sector pilots",
  "UK SaaS scale-ups",
  "Procurement heads",
  "Developer tools",
  "Real estate brokers",
];

/**
 * Loads one workspace. `sql` is a reserved connection with triggers off; temp tables are its
 * own and dropped at the end. Returns the campaigns made.
 */
export async function loadAnalyticsWorkspace(
  sql: postgres.ReservedSql,
  ws: BenchWorkspace & { slug: string },
  o: AnalyticsLoadOptions,
  log: (line: string) => void,
): Promise<LoadedCampaign[]> {
  const t0 = performance.now();
  const lap = (what: string) => log(`    ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const W = ws.id;
  const [{ now }] = (await sql`select date_trunc('minute', now()) as now`) as unknown as [{ now: Date }];
  const start = new Date(now.getTime() - o.days * 86_400_000);
  const iso = (d: Date) => `'${d.toISOString()}'::timestamptz`;
  const NOW = iso(now);
  const T0 = iso(start);
  const DAY = 86_400_000;

  // --- Mailboxes.
  const identities = await sql<{ id: string }[]>`
    insert into public.sending_identities (workspace_id, from_name, from_email, daily_cap, send_days, send_from_minute,
      send_until_minute, time_zone, postal_address, signature, created_at)
    select ${W}, 'Mailbox ' || g, 'mailbox' || g || '@' || ${ws.slug} || '.test', 400, '{1,2,3,4,5,6,7}', 0, 1440, 'UTC',
      'Bench Ltd, 1 Example Street, London', 'The bench team', ${start}::timestamptz
    from generate_series(1, ${o.identities}) g
    returning id`;

  // --- Campaigns (small: built here, with their steps, variants and mailbox rotation).
  const total = o.campaigns + o.instantly;
  const campaigns: (LoadedCampaign & { n: number; launchedAt: Date; enrollUntil: Date; ownerId: string })[] = [];
  const steps: { id: string; campaign_id: string; position: number; delay_days: number; workspace_id: string }[] = [];
  const variants: {
    id: string;
    campaign_id: string;
    step_id: string;
    label: string;
    weight: number;
    subject: string;
    body: string;
    workspace_id: string;
  }[] = [];
  const rotation: { workspace_id: string; campaign_id: string; identity_id: string }[] = [];
  const stepMap: { camp_n: number; position: number; step_id: string; offset_hours: number; variants: number }[] = [];
  const variantMap: { camp_n: number; position: number; k: number; variant_id: string; label: string; lift: number }[] = [];
  const rotationMap: { camp_n: number; j: number; identity_id: string }[] = [];
  const perCampaign = Math.min(8, identities.length);
  for (let n = 1; n <= total; n++) {
    const delivery = n > o.campaigns ? "instantly" : "resend";
    // Launches spread over the period (the last three weeks left for the latest to run); each enrolls new leads for 45 days.
    const launchedAt = new Date(start.getTime() + Math.round(((n - 1) / Math.max(1, total - 1)) * (o.days - 21)) * DAY);
    const enrollUntil = new Date(launchedAt.getTime() + 45 * DAY);
    const stepCount = n % 3 === 0 ? 4 : 3;
    const id = randomUUID();
    const name = `${CAMPAIGN_NAMES[(n - 1) % CAMPAIGN_NAMES.length]}${n > CAMPAIGN_NAMES.length ? ` ${n}` : ""}`;
    const labels: string[] = [];
    let offset = 0;
    for (let p = 1; p <= stepCount; p++) {
      const stepId = randomUUID();
      offset += [0, 0, 3, 4, 7][p]! * 24;
      steps.push({ id: stepId, campaign_id: id, position: p, delay_days: [0, 0, 3, 4, 7][p]!, workspace_id: W });
      const count = p === 1 ? (n % 4 === 0 ? 3 : 2) : p === 2 && n % 2 === 0 ? 2 : 1;
      stepMap.push({ camp_n: n, position: p, step_id: stepId, offset_hours: offset, variants: count });
      for (let k = 0; k < count; k++) {
        const label = "ABC"[k]!;
        if (!labels.includes(label)) labels.push(label);
        const variantId = randomUUID();
        variants.push({
          id: variantId,
          campaign_id: id,
          step_id: stepId,
          label,
          weight: Math.floor(100 / count) + (k === 0 ? 100 % count : 0),
          subject: `Step ${p} ${label}: a quick idea for {{ company | default: "your team" }}`,
          body: `Hi {{ first_name | default: "there" }},\n\nVersion ${label} of step ${p}.`,
          workspace_id: W,
        });
        // Reply-rate factor: in every third campaign B clearly beats A; elsewhere the variants are close; C trails.
        const lift = label === "A" ? 1 : label === "B" ? (n % 3 === 1 ? 1.45 : 0.97) : 0.8;
        variantMap.push({ camp_n: n, position: p, k, variant_id: variantId, label, lift });
      }
    }
    for (let j = 0; j < perCampaign; j++) {
      const identityId = identities[(n * 5 + j) % identities.length]!.id;
      rotation.push({ workspace_id: W, campaign_id: id, identity_id: identityId });
      rotationMap.push({ camp_n: n, j, identity_id: identityId });
    }
    campaigns.push({
      n,
      id,
      name,
      delivery,
      steps: stepCount,
      variants: labels,
      launchedAt,
      enrollUntil,
      ownerId: o.ownerIds[n % o.ownerIds.length]!,
    });
  }
  await sql`insert into public.campaigns ${sql(
    campaigns.map((c) => {
      const done = c.enrollUntil.getTime() + 20 * DAY < now.getTime();
      return {
        id: c.id,
        workspace_id: W,
        name: c.name,
        status: done ? "completed" : "running",
        owner_id: c.ownerId,
        delivery: c.delivery,
        submitted_at: new Date(c.launchedAt.getTime() - 2 * DAY),
        submitted_by: c.ownerId,
        submitted_content_hash: `bench-${c.n}`,
        approved_content_hash: `bench-${c.n}`,
        approved_at: new Date(c.launchedAt.getTime() - DAY),
        approved_by: o.ownerIds[0]!,
        launched_at: c.launchedAt,
        enrolled_at: c.launchedAt,
        finished_at: done ? new Date(c.enrollUntil.getTime() + 20 * DAY) : null,
        created_at: new Date(c.launchedAt.getTime() - 5 * DAY),
        updated_at: c.launchedAt,
      };
    }),
  )}`;
  await sql`insert into public.campaign_steps ${sql(steps)}`;
  await sql`insert into public.campaign_step_variants ${sql(variants)}`;
  await sql`insert into public.campaign_identities ${sql(rotation)}`;
  await sql`create temp table bench_camps (n int, id uuid, launched_at timestamptz, enroll_until timestamptz, delivery text, steps int)`;
  await sql`insert into bench_camps ${sql(
    campaigns.map((c) => ({
      n: c.n,
      id: c.id,
      launched_at: c.launchedAt,
      enroll_until: c.enrollUntil,
      delivery: c.delivery,
      steps: c.steps,
    })),
  )}`;
  await sql`create temp table bench_steps (camp_n int, position int, step_id uuid, offset_hours int, variants int)`;
  await sql`insert into bench_steps ${sql(stepMap)}`;
  await sql`create temp table bench_variants (camp_n int, position int, k int, variant_id uuid, label text, lift float8)`;
  await sql`insert into bench_variants ${sql(variantMap)}`;
  await sql`create temp table bench_rotation (camp_n int, j int, identity_id uuid)`;
  await sql`insert into bench_rotation ${sql(rotationMap)}`;
  await sql`create temp table bench_owners (k int, owner_id uuid)`;
  await sql`insert into bench_owners ${sql(o.ownerIds.map((id, k) => ({ k, owner_id: id })))}`;
  await sql`analyze bench_camps; analyze bench_steps; analyze bench_variants; analyze bench_rotation; analyze bench_owners`.simple();

  // --- Leads, staged: 70 % in imports of 1,000 (one time, source, owner each), 30 % one by one;
  // their ids time-ordered as the app's (UUIDv7 of their creation time, db/schema/_time-ordered-id.ts).
  const R = o.ownerIds.length;
  const span = o.days * 86400;
  const imported = Math.floor(o.leads * 0.7);
  await sql.unsafe(`
    create temp table bench_leads as
    select g as n, uuidv7(x.created_at - now()) as id, x.created_at, x.source, o.owner_id
    from generate_series(1, ${o.leads}) g
    cross join lateral (
      select
        case when g <= ${imported}
          then ${T0} + (${h(`g / 1000 + 1000000000`, 1)} % ${span}) * interval '1 second'
          else ${T0} + (${h("g", 2)} % ${span}) * interval '1 second' end as created_at,
        case when g <= ${imported}
          then (array['csv','apollo','apollo','phantombuster'])[1 + ${h(`g / 1000 + 1000000000`, 3)} % 4]
          else (array['manual','instantly','manual'])[1 + ${h("g", 4)} % 3] end::public.lead_source as source,
        case when g <= ${imported}
          then case when ${h(`g / 1000 + 1000000000`, 5)} % 10 = 0 then -1 else ${h(`g / 1000 + 1000000000`, 6)} % ${R} end
          else case when ${h("g", 7)} % 5 = 0 then -1 else ${h("g", 8)} % ${R} end end as owner_k
    ) x
    left join bench_owners o on o.k = x.owner_k`);
  lap(`${o.leads.toLocaleString()} leads staged`);

  // --- Enrollments: two leads in three (about 2 emails per lead in all), into one of the campaigns enrolling when the lead arrived.
  await sql.unsafe(`
    create temp table bench_enr as
    select l.n, l.id as lead_id, c.n as camp_n, c.id as campaign_id, c.steps, gen_random_uuid() as id,
      greatest(l.created_at, c.launched_at) + (${h("l.n", 11)} % (72 * 3600)) * interval '1 second' as enrolled_at,
      r.identity_id
    from bench_leads l
    cross join lateral (
      select c.* from bench_camps c
      where c.delivery = 'resend' and c.launched_at <= l.created_at + interval '3 days' and c.enroll_until > l.created_at
      order by hashint8(l.n * 100 + c.n) limit 1
    ) c
    join bench_rotation r on r.camp_n = c.n and r.j = ${h("l.n", 12)} % ${perCampaign}
    where ${h("l.n", 10)} % 100 < 66
      and greatest(l.created_at, c.launched_at) + (${h("l.n", 11)} % (72 * 3600)) * interval '1 second' < ${NOW}`);
  lap("enrollments staged");

  // --- Each enrollment's emails: the step's time, variant and outcome; stop after a reply, a hard bounce or an unsubscribe.
  // Reply rate per step (3 %, 2.2 %, 1.5 %, 1 %) times the variant's factor; hard bounces mostly on the first email.
  const key = "(e.n * 10 + s.position)";
  await sql.unsafe(`
    create temp table bench_msg_raw as
    select e.n, e.id as enrollment_id, e.lead_id, e.campaign_id, e.camp_n, e.identity_id, s.position, s.step_id,
      v.variant_id, v.label,
      e.enrolled_at + s.offset_hours * interval '1 hour' + (${h(key, 20)} % (4 * 3600)) * interval '1 second' as sent_at,
      ${u(key, 21)} < (case s.position when 1 then 0.018 else 0.003 end) as hard_bounce,
      ${u(key, 22)} < 0.005 as soft_bounce,
      ${u(key, 23)} < (case s.position when 1 then 0.030 when 2 then 0.022 when 3 then 0.015 else 0.010 end) * v.lift as replied,
      ${u(key, 24)} < 0.42 as opened,
      ${u(key, 25)} < 0.12 as clicked,
      ${u(key, 26)} < 0.005 as unsubscribed,
      ${u(key, 27)} < 0.0005 as complained,
      ${u(key, 28)} < 0.40 as interested,
      ${u(key, 29)} < 0.45 as meeting,
      ${h(key, 30)} as r
    from bench_enr e
    join bench_steps s on s.camp_n = e.camp_n
    join bench_variants v on v.camp_n = e.camp_n and v.position = s.position and v.k = ${h(key, 19)} % s.variants`);
  await sql.unsafe(`
    create temp table bench_msgs as
    select m.*, gen_random_uuid() as id from (
      select r.*, coalesce(bool_or(r.hard_bounce or r.replied or r.unsubscribed)
        over (partition by r.n order by r.position rows between unbounded preceding and 1 preceding), false) as stopped_before
      from bench_msg_raw r
    ) m
    where not m.stopped_before and m.sent_at < ${NOW}`);
  await sql`drop table bench_msg_raw`;
  // The funnel's first times, none later than now (what has not happened yet is not there).
  const past = (expr: string) => `case when (${expr}) <= ${NOW} then (${expr}) end`;
  await sql.unsafe(`
    create temp table bench_funnel as
    select m.*,
      ${past("case when not m.hard_bounce then m.sent_at + (m.r % 90) * interval '1 second' end")} as delivered_at,
      ${past("case when m.hard_bounce or m.soft_bounce then m.sent_at + (30 + m.r % 600) * interval '1 second' end")} as bounced_at,
      case when m.hard_bounce then 'hard' when m.soft_bounce then 'soft' end::public.email_bounce_type as bounce_type,
      ${past("case when m.opened and not m.hard_bounce then m.sent_at + (60 + m.r % (72 * 3600)) * interval '1 second' end")} as opened_at,
      ${past("case when m.opened and m.clicked and not m.hard_bounce then m.sent_at + (120 + m.r % (72 * 3600)) * interval '1 second' end")} as clicked_at,
      ${past("case when m.replied and not m.hard_bounce then m.sent_at + (3600 + m.r % (5 * 86400)) * interval '1 second' end")} as replied_at,
      ${past("case when m.replied and m.interested and not m.hard_bounce then m.sent_at + (86400 + m.r % (7 * 86400)) * interval '1 second' end")} as interested_at,
      ${past("case when m.replied and m.interested and m.meeting and not m.hard_bounce then m.sent_at + (4 * 86400 + m.r % (14 * 86400)) * interval '1 second' end")} as meeting_at,
      ${past("case when m.unsubscribed and not m.hard_bounce then m.sent_at + (600 + m.r % (2 * 86400)) * interval '1 second' end")} as unsubscribed_at,
      ${past("case when m.complained and not m.hard_bounce then m.sent_at + (600 + m.r % 86400) * interval '1 second' end")} as complained_at
    from bench_msgs m`);
  await sql`drop table bench_msgs`;
  lap("emails staged");

  // --- Each lead's status as its emails left it, and when: contacted at the first email, then the outcome.
  await sql.unsafe(`
    create temp table bench_outcome as
    select f.n, f.lead_id, min(f.sent_at) as contacted_at, max(f.sent_at) as last_sent_at, max(f.meeting_at) as meeting_at,
      max(f.interested_at) as interested_at, max(f.replied_at) as replied_at,
      max(f.bounced_at) filter (where f.bounce_type = 'hard') as bounced_at, max(f.unsubscribed_at) as unsubscribed_at,
      max(f.position) as last_step
    from bench_funnel f
    group by f.n, f.lead_id`);
  // The furthest status each lead's emails took it to (a third of meetings won a week later, half the other replies lost a day later).
  await sql.unsafe(`
    create temp table bench_lead_final as
    select l.*, o.contacted_at, o.last_sent_at, o.last_step, coalesce(x.status, 'new')::public.lead_status as status, x.at as status_at
    from bench_leads l
    left join bench_outcome o on o.n = l.n
    left join lateral (
      select v.status, v.at from (values
        (1, 'won', case when ${h("o.n", 40)} % 3 = 0 and o.meeting_at + interval '7 days' <= ${NOW} then o.meeting_at + interval '7 days' end),
        (2, 'meeting', o.meeting_at),
        (3, 'interested', o.interested_at),
        (4, 'lost', case when ${h("o.n", 41)} % 2 = 0 and o.replied_at + interval '1 day' <= ${NOW} then o.replied_at + interval '1 day' end),
        (5, 'replied', o.replied_at),
        (6, 'bounced', o.bounced_at),
        (7, 'unsubscribed', o.unsubscribed_at),
        (8, 'contacted', o.contacted_at)) v(p, status, at)
      where v.at is not null order by v.p limit 1
    ) x on true`);
  await sql`create index on bench_lead_final (id)`;
  lap("statuses derived");

  // --- The rows themselves.
  await sql.unsafe(`
    insert into public.leads (id, workspace_id, first_name, last_name, email, email_status, title, company_name, owner_id, status,
      score, source, last_activity_at, created_at, updated_at)
    select l.id, '${W}', (array['Zoë','Émile','Ana','Björn','Mia','José','Noah','Olivia','Priya','Kwame'])[1 + ${h("l.n", 50)} % 10],
      'Lead ' || l.n, 'lead' || l.n || '@' || 'client' || (${h("l.n", 51)} % 20000) || '.example', 'valid',
      (array['Head of Sales','CTO','CEO','VP Marketing','Founder','COO','CFO','Head of Growth'])[1 + ${h("l.n", 52)} % 8],
      'Company ' || (${h("l.n", 51)} % 20000), l.owner_id, l.status, ${h("l.n", 53)} % 101, l.source,
      coalesce(l.status_at, l.last_sent_at, l.created_at), l.created_at, coalesce(l.status_at, l.created_at)
    from bench_lead_final l`);
  lap("leads written");
  await sql.unsafe(`
    insert into public.campaign_enrollments (id, workspace_id, campaign_id, lead_id, status, identity_id, next_step, next_send_at,
      last_sent_at, end_cause, stop_reason, finished_at, created_at, updated_at)
    select e.id, '${W}', e.campaign_id, e.lead_id,
      (case when s.last_step >= e.steps then 'completed' when s.status in ('replied','interested','meeting','won','lost','bounced','unsubscribed') then 'stopped' else 'active' end)::public.campaign_enrollment_status,
      e.identity_id,
      least(coalesce(s.last_step, 0) + 1, 21),
      case when coalesce(s.last_step, 0) < e.steps and s.status not in ('replied','interested','meeting','won','lost','bounced','unsubscribed') then ${NOW} + interval '1 hour' end,
      s.last_sent_at,
      (case when s.last_step >= e.steps then null when s.status = 'bounced' then 'bounced' when s.status = 'unsubscribed' then 'unsubscribed'
        when s.status in ('replied','interested','meeting','won','lost') then 'replied' end)::public.campaign_enrollment_end_cause,
      case when s.last_step < e.steps and s.status in ('replied','interested','meeting','won','lost','bounced','unsubscribed') then 'The lead ' || s.status::text end,
      case when s.last_step >= e.steps or s.status in ('replied','interested','meeting','won','lost','bounced','unsubscribed') then s.last_sent_at end,
      e.enrolled_at, coalesce(s.last_sent_at, e.enrolled_at)
    from bench_enr e
    left join bench_lead_final s on s.n = e.n`);
  lap("enrollments written");
  await sql.unsafe(`
    insert into public.email_messages (id, workspace_id, campaign_id, enrollment_id, step_id, step_position, variant_id, variant_label,
      lead_id, identity_id, status, to_email, from_address, subject, text_body, rfc_message_id, provider_id, attempts, cap_day,
      sent_at, delivered_at, opened_at, clicked_at, bounced_at, bounce_type, complained_at, replied_at, unsubscribed_at,
      interested_at, meeting_at, lead_owner_id, lead_source, created_at, updated_at)
    select f.id, '${W}', f.campaign_id, f.enrollment_id, f.step_id, f.position, f.variant_id, f.label, f.lead_id, f.identity_id, 'sent',
      'lead' || f.n || '@client.example', 'Mailbox <mailbox@${ws.slug}.test>', 'Step ' || f.position || ' ' || f.label || ': a quick idea',
      'Hi there, version ' || f.label || ' of step ' || f.position || '.', '<' || f.id || '@${ws.slug}.test>', 'bench-' || f.id, 1,
      (f.sent_at at time zone 'UTC')::date, f.sent_at, f.delivered_at, f.opened_at, f.clicked_at, f.bounced_at, f.bounce_type,
      f.complained_at, f.replied_at, f.unsubscribed_at, f.interested_at, f.meeting_at, l.owner_id, l.source,
      f.sent_at - interval '1 minute',
      greatest(f.sent_at, f.delivered_at, f.opened_at, f.clicked_at, f.bounced_at, f.complained_at, f.replied_at, f.unsubscribed_at, f.interested_at, f.meeting_at)
    from bench_funnel f join bench_leads l on l.n = f.n`);
  lap("emails written");
  // The provider's events behind those times: sent, delivered, one to three opens, clicks, bounces, complaints, replies, unsubscribes.
  await sql.unsafe(`
    insert into public.email_events (workspace_id, message_id, type, occurred_at, provider_event_id, payload, created_at)
    select '${W}', f.id, v.type::public.email_event_type, v.at, 'msg_' || f.id || '_' || v.ord, v.payload, v.at + interval '2 seconds'
    from bench_funnel f
    cross join lateral (values
      (1, 'sent', f.sent_at, '{}'::jsonb),
      (2, 'delivered', f.delivered_at, '{}'),
      (3, 'opened', f.opened_at, '{"user_agent":"Mozilla/5.0"}'),
      (4, 'opened', case when f.r % 10 < 7 then f.opened_at + (f.r % 86400) * interval '1 second' end, '{"user_agent":"Mozilla/5.0"}'),
      (5, 'opened', case when f.r % 10 < 4 then f.opened_at + (f.r % (5 * 86400)) * interval '1 second' end, '{"user_agent":"Mozilla/5.0"}'),
      (6, 'opened', case when f.r % 10 < 2 then f.opened_at + (f.r % (9 * 86400)) * interval '1 second' end, '{"user_agent":"Mozilla/5.0"}'),
      (7, 'clicked', f.clicked_at, '{"click":{"link":"https://acme.example/demo"}}'),
      (8, 'clicked', case when f.r % 3 = 0 then f.clicked_at + interval '5 minutes' end, '{"click":{"link":"https://acme.example/pricing"}}'),
      (9, 'delivery_delayed', case when f.soft_bounce then f.sent_at + interval '10 seconds' end, '{}'),
      (10, 'bounced', f.bounced_at, jsonb_build_object('bounce', jsonb_build_object('type', case when f.bounce_type = 'hard' then 'Permanent' else 'Transient' end))),
      (11, 'complained', f.complained_at, '{}'),
      (12, 'received', f.replied_at, '{}'),
      (13, 'unsubscribed', f.unsubscribed_at, '{}')
    ) v(ord, type, at, payload)
    where v.at is not null and v.at <= ${NOW}`);
  lap("events written");
  await sql.unsafe(`
    insert into public.sending_identity_usage (workspace_id, identity_id, day, sent)
    select '${W}'::uuid, f.identity_id, (f.sent_at at time zone 'UTC')::date, count(*) from bench_funnel f group by 1, 2, 3`);

  // --- Instantly's campaigns: the push, Instantly's campaign and its synced daily analytics.
  for (const c of campaigns.filter((x) => x.delivery === "instantly")) {
    const instantlyId = `inst-${c.n}-${ws.slug}`;
    await sql`insert into public.instantly_campaigns (workspace_id, instantly_id, raw) values (${W}, ${instantlyId}, ${sql.json({ id: instantlyId, name: c.name })})`;
    await sql`insert into public.instantly_campaign_pushes (workspace_id, campaign_id, account_id, content_hash, instantly_campaign_id, status, leads_done, activated_at)
      values (${W}, ${c.id}, ${randomUUID()}, ${`bench-${c.n}`}, ${instantlyId}, 'active', true, ${c.launchedAt})`;
    await sql.unsafe(`
      insert into public.instantly_campaign_daily_analytics (workspace_id, campaign_id, day, raw)
      select '${W}', '${instantlyId}', d::date, jsonb_build_object('date', d::date, 'sent', 300 + ${h("extract(epoch from d)::bigint", 60)} % 200,
        'opened', 150, 'unique_opened', 120 + ${h("extract(epoch from d)::bigint", 61)} % 40, 'replies', 9, 'unique_replies', 6 + ${h("extract(epoch from d)::bigint", 62)} % 6,
        'clicks', 12, 'unique_clicks', 10, 'opportunities', ${h("extract(epoch from d)::bigint", 63)} % 3)
      from generate_series('${c.launchedAt.toISOString()}'::timestamptz, ${NOW}, interval '1 day') d`);
  }

  // --- The rollups, backfilled as migration 0055 does (see the comment at the top of this file).
  await sql.unsafe(`do $$ begin
    execute private.analytics_message_upsert_sql('select 1 as sign, * from public.email_messages where workspace_id = ''${W}''');
  end $$`);
  lap("message rollup backfilled");
  const cols = (sign: number, at: string, status: string) =>
    `select ${sign} as sign, ${at} as net_at, '${W}'::uuid as workspace_id, l.owner_id, l.source, ${status} as status, l.created_at, null::timestamptz as deleted_at from pg_temp.bench_lead_final l`;
  const history = [
    cols(1, "l.created_at", "'new'::public.lead_status"),
    `${cols(-1, "l.contacted_at", "'new'::public.lead_status")} where l.contacted_at is not null`,
    `${cols(1, "l.contacted_at", "'contacted'::public.lead_status")} where l.contacted_at is not null`,
    `${cols(-1, "l.status_at", "'contacted'::public.lead_status")} where l.status not in ('new', 'contacted')`,
    `${cols(1, "l.status_at", "l.status")} where l.status not in ('new', 'contacted')`,
  ].join(" union all ");
  await sql.unsafe(`do $$ begin execute private.analytics_lead_upsert_sql($q$${history}$q$); end $$`);
  // With the triggers off (replica), analytics_lead_days' own trigger did not run: as migration 0088 backfills it.
  await sql.unsafe(`insert into public.analytics_lead_status_days (workspace_id, day, status, net, created)
    select d.workspace_id, d.day, d.status, sum(d.net)::integer, sum(d.created)::integer from public.analytics_lead_days d
    where d.workspace_id = '${W}' group by 1, 2, 3 having sum(d.net) <> 0 or sum(d.created) <> 0`);
  lap("lead rollup backfilled");

  for (const t of [
    "bench_camps",
    "bench_steps",
    "bench_variants",
    "bench_rotation",
    "bench_owners",
    "bench_leads",
    "bench_enr",
    "bench_funnel",
    "bench_outcome",
    "bench_lead_final",
  ])
    await sql.unsafe(`drop table ${t}`);
  return campaigns.map(({ id, name, delivery, steps: s, variants: v }) => ({ id, name, delivery, steps: s, variants: v }));
}
