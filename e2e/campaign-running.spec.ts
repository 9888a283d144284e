import { expect, test } from "@playwright/test";
import { ACME_ADMIN, ACME_VIEWER, expectAccessible, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

// The viewer is in Tokyo and the server in UTC: times must show in the viewer's zone.
const VIEWER_ZONE = "Asia/Tokyo";
test.use({ timezoneId: VIEWER_ZONE, locale: "en-US" });

/**
 * A running campaign's page: progress, the funnel per step and variant (chart and table), the
 * leads a page at a time with their state, step, next send and why they ended, filtered by state;
 * one lead's emails with what the provider reported and the reply's text shown as text; the job
 * runs for admins only. The campaign and its history are written as the sending jobs leave them.
 */
test("shows a running campaign's progress, funnel, leads and one lead's emails with the reply as text", async ({ page, browser }, info) => {
  test.setTimeout(600_000);
  const sql = e2eDatabase(info);
  const tag = unique();
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [admin] = await sql<{ id: string }[]>`select id from auth.users where email = ${ACME_ADMIN}`;
  const ws = acme!.id;
  const [identity] = await sql<{ id: string }[]>`
    insert into public.sending_identities (workspace_id, from_name, from_email, postal_address, signature)
    values (${ws}, 'Running Sender', ${`running-${tag}@acme.test`}, '1 Harbour Road, Reykjavík', 'Running Sender') returning id`;
  const [campaign] = await sql<{ id: string }[]>`
    insert into public.campaigns (workspace_id, owner_id, name, audience)
    values (${ws}, ${admin!.id}, ${`Running ${tag}`}, ${sql.json({ kind: "filter", query: `q=run-${tag}` })}) returning id`;
  const campaignId = campaign!.id;
  const [step1] = await sql<{ id: string }[]>`
    insert into public.campaign_steps (workspace_id, campaign_id, position) values (${ws}, ${campaignId}, 1) returning id`;
  const [step2] = await sql<{ id: string }[]>`
    insert into public.campaign_steps (workspace_id, campaign_id, position, delay_days) values (${ws}, ${campaignId}, 2, 3) returning id`;
  const variants = await sql<{ id: string; label: string; step_id: string }[]>`
    insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, weight, subject, body) values
      (${ws}, ${campaignId}, ${step1!.id}, 'A', 50, 'Hello A', 'Body A'),
      (${ws}, ${campaignId}, ${step1!.id}, 'B', 50, 'Hello B', 'Body B'),
      (${ws}, ${campaignId}, ${step2!.id}, 'A', 100, 'Following up', 'Body 2')
    returning id, label, step_id`;
  const variant = (stepId: string, label: string) => variants.find((v) => v.step_id === stepId && v.label === label)!.id;
  await sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id) values (${ws}, ${campaignId}, ${identity!.id})`;
  await sql`update public.campaigns set status = 'pending_approval', submitted_at = now(), submitted_by = ${admin!.id} where id = ${campaignId}`;
  await sql`update public.campaigns set status = 'approved', approved_at = now(), approved_by = ${admin!.id},
    approved_content_hash = private.campaign_content_hash(${campaignId}) where id = ${campaignId}`;
  await sql`update public.campaigns set status = 'running', launched_at = now() where id = ${campaignId}`;

  // 55 leads: a second page of the table. The first replied, the second bounced, the rest wait for step 1.
  const leads = await sql<{ id: string; n: number }[]>`
    insert into public.leads (workspace_id, first_name, last_name, email)
    select ${ws}, 'Run' || g, ${`Lead-${tag}`}, ${`run-${tag}-`} || g || '@lead.test' from generate_series(1, 55) g
    returning id, (regexp_match(first_name, '\\d+'))[1]::int as n`;
  leads.sort((a, b) => a.n - b.n);
  const nextSend = new Date(Date.now() + 86_400_000);
  const enrollments: { id: string }[] = [];
  for (const lead of leads) {
    const [e] = await sql<{ id: string }[]>`
      insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at, created_at)
      values (${ws}, ${campaignId}, ${lead.id}, ${identity!.id}, ${nextSend}, clock_timestamp()) returning id`;
    enrollments.push(e!);
  }
  const message = async (
    i: number,
    label: string,
    extra: { delivered?: boolean; opened?: boolean; replied?: boolean; bounced?: boolean },
  ) => {
    const [m] = await sql<{ id: string }[]>`
      insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, variant_id, variant_label, lead_id,
        identity_id, status, to_email, subject, text_body, provider_id, sent_at, delivered_at, opened_at, replied_at, bounced_at, bounce_type)
      values (${ws}, ${campaignId}, ${enrollments[i]!.id}, ${step1!.id}, 1, ${variant(step1!.id, label)}, ${label}, ${leads[i]!.id},
        ${identity!.id}, 'sent', ${`run-${tag}-${i + 1}@lead.test`}, ${`Hello ${label}`}, 'Body', ${`re_${tag}_${i}`}, now() - interval '1 hour',
        ${extra.delivered ? sql`now() - interval '50 minutes'` : null}, ${extra.opened ? sql`now() - interval '40 minutes'` : null},
        ${extra.replied ? sql`now() - interval '30 minutes'` : null}, ${extra.bounced ? sql`now() - interval '55 minutes'` : null},
        ${extra.bounced ? "hard" : null})
      returning id`;
    return m!.id;
  };
  const replied = await message(0, "A", { delivered: true, opened: true, replied: true });
  await message(1, "B", { bounced: true });
  await sql`insert into public.email_events (workspace_id, message_id, type, occurred_at, provider_event_id, payload) values
    (${ws}, ${replied}, 'sent', now() - interval '60 minutes', ${`evt-${tag}-1`}, '{}'),
    (${ws}, ${replied}, 'delivered', now() - interval '50 minutes', ${`evt-${tag}-2`}, '{}'),
    (${ws}, ${replied}, 'opened', now() - interval '40 minutes', ${`evt-${tag}-3`}, '{}')`;
  await sql`insert into public.email_replies (workspace_id, message_id, campaign_id, enrollment_id, lead_id, provider_email_id, from_address,
      subject, text_body, html_body, received_at)
    values (${ws}, ${replied}, ${campaignId}, ${enrollments[0]!.id}, ${leads[0]!.id}, ${`inbound-${tag}`}, ${`run-${tag}-1@lead.test`},
      'Re: Hello A', '<b>Yes</b>, Tuesday works.', '<p><b>Yes</b>, Tuesday works.</p><script>alert(1)</script>', now() - interval '30 minutes')`;
  await sql`update public.campaign_enrollments set status = 'stopped', end_cause = 'replied', stop_reason = 'They replied to step 1',
    next_step = 2, next_send_at = null, finished_at = now() where id = ${enrollments[0]!.id}`;
  await sql`update public.campaign_enrollments set status = 'stopped', end_cause = 'bounced', stop_reason = 'Mailbox does not exist',
    next_step = 2, next_send_at = null, finished_at = now() where id = ${enrollments[1]!.id}`;
  // Its launch run and the first lead's sequence run, finished (dispatched: the executor leaves them alone).
  const [launchEvent] = await sql<{ id: string }[]>`
    insert into public.job_events (workspace_id, name, data, ts, dispatched_at)
    values (${ws}, 'campaigns/launch.requested', ${sql.json({ workspaceId: ws, campaignId, requestedBy: admin!.id })}, now(), now()) returning id`;
  const [sequenceEvent] = await sql<{ id: string }[]>`
    insert into public.job_events (workspace_id, name, data, idempotency_key, ts, dispatched_at)
    values (${ws}, 'campaigns/enrollment.started', ${sql.json({ workspaceId: ws, campaignId, enrollmentId: enrollments[0]!.id })},
      ${`enrollment-${enrollments[0]!.id}-1`}, now(), now()) returning id`;
  await sql`insert into public.job_runs (workspace_id, function_id, event_id, status, started_at, ended_at) values
    (${ws}, 'launch-campaign', ${launchEvent!.id}, 'completed', now(), now()),
    (${ws}, 'run-enrollment-sequence', ${sequenceEvent!.id}, 'completed', now(), now())`;

  await sql`update public.sending_identities set daily_cap = 50, time_zone = 'UTC' where id = ${identity!.id}`;
  await sql`insert into public.sending_identity_usage (workspace_id, identity_id, day, sent)
    values (${ws}, ${identity!.id}, (now() at time zone 'UTC')::date, 50)`;
  // A draft beside it, never launched: the list counts the leads its audience would enroll.
  await sql`insert into public.leads (workspace_id, first_name, last_name, email)
    select ${ws}, 'Draft' || g, ${`Lead-${tag}`}, ${`draft-${tag}-`} || g || '@lead.test' from generate_series(1, 3) g`;
  const [draftCampaign] = await sql<{ id: string }[]>`insert into public.campaigns (workspace_id, owner_id, name, audience)
    values (${ws}, ${admin!.id}, ${`Draft ${tag}`}, ${sql.json({ kind: "filter", query: `q=draft-${tag}` })}) returning id`;

  try {
    await logIn(page, ACME_ADMIN);

    // The campaigns list: how far each got, streamed in beside the list.
    await page.goto("/campaigns", { timeout: 240_000 });
    const list = page.getByRole("table");
    const figures = async (name: string) => {
      const row = list.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
      await expect(row.getByText("Counting…")).toHaveCount(0, { timeout: 60_000 });
      return row.getByRole("cell");
    };
    const headers = ["Name", "Status", "Owner", "Audience", "Leads", "Sent", "Replied", "Bounced", "Steps", "Last change"];
    await expect(list.getByRole("columnheader")).toHaveText(headers);
    const running = await figures(`Running ${tag}`);
    await expect(running.nth(4)).toHaveText("55 enrolled");
    await expect(running.nth(5)).toHaveText("2");
    await expect(running.nth(6)).toHaveText("1 50.0 %");
    await expect(running.nth(7)).toHaveText("1 50.0 %");
    const draft = await figures(`Draft ${tag}`);
    await expect(draft.nth(4)).toHaveText("3 eligible");
    await expect(draft.nth(5)).toHaveText("—");
    await expect(draft.nth(6)).toHaveText("—");
    await expectAccessible(page);

    await page.goto(`/campaigns/${campaignId}`, { timeout: 240_000 });

    const progress = page.getByRole("region", { name: "Progress" });
    await expect(progress.getByText("2 of 55 finished")).toBeVisible({ timeout: 120_000 });
    await expect(progress.getByRole("progressbar", { name: "Enrollments finished" })).toHaveAttribute("aria-valuenow", "4");
    // Its mailbox has reached its cap today: that is why the next emails wait.
    await expect(progress.getByRole("listitem")).toHaveText([
      `running-${tag}@acme.test: 50 of 50 sent (UTC), at its daily cap: its next emails wait for its next sending day`,
    ]);

    const funnel = page.getByRole("region", { name: "Funnel per step and variant" });
    await expect(funnel.getByTestId("funnel-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
    const rowA = funnel.getByRole("row", { name: /Step 1 A/ });
    await expect(rowA.getByRole("cell")).toHaveText(["A", "1", "1 (100%)", "1 (100%)", "0 (0%)", "1 (100%)", "0 (0%)", "0 (0%)"]);
    const rowB = funnel.getByRole("row", { name: /Step 1 B/ });
    await expect(rowB.getByRole("cell")).toHaveText(["B", "1", "0 (0%)", "0 (0%)", "0 (0%)", "0 (0%)", "1 (100%)", "0 (0%)"]);
    await expect(
      funnel
        .getByRole("row", { name: /Step 2 A/ })
        .getByRole("cell")
        .nth(1),
    ).toHaveText("0");

    const table = page.getByRole("region", { name: "Leads in this campaign" });
    const first = table.getByRole("row", { name: new RegExp(`Run1 Lead-${tag}`) });
    await expect(first).toContainText("Stopped");
    await expect(first).toContainText("Replied — They replied to step 1");
    await expect(table.getByRole("row", { name: new RegExp(`Run2 Lead-${tag}`) })).toContainText("Bounced — Mailbox does not exist");
    const waiting = table.getByRole("row", { name: new RegExp(`Run3 Lead-${tag}`) });
    await expect(waiting).toContainText("Step 1 of 2");
    // The next send shows in the viewer's own zone, not the server's UTC fallback.
    await expect(waiting.locator("time")).toHaveText(
      nextSend.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: VIEWER_ZONE }),
    );
    await expect(table.getByRole("row")).toHaveCount(51);
    await expectAccessible(page);

    await table.getByRole("link", { name: "Next page →" }).click();
    await expect(table.getByRole("row", { name: new RegExp(`Run55 Lead-${tag}`) })).toBeVisible();
    await expect(table.getByRole("row")).toHaveCount(6);
    await table.getByRole("link", { name: "Stopped", exact: true }).click();
    await expect(table.getByRole("row")).toHaveCount(3);

    const runs = page.getByRole("region", { name: "Job runs" });
    await expect(runs.getByRole("link", { name: "launch-campaign" })).toHaveAttribute("href", /\/jobs\/[0-9a-f-]{36}$/);

    await table.getByRole("link", { name: `Emails to Run1 Lead-${tag}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Run1 Lead-${tag}` })).toBeVisible({ timeout: 120_000 });
    const email = page.getByTestId("enrollment-message");
    await expect(email.getByRole("heading", { name: "Step 1 · variant A" })).toBeVisible();
    await expect(email.getByRole("list", { name: "What happened to this email" }).getByRole("listitem")).toHaveText([
      /Accepted by the provider/,
      /Delivered/,
      /Opened/,
    ]);
    // The reply is a stranger's words: its text, with the markup shown as typed, and no HTML part.
    await expect(email.getByTestId("reply-text")).toHaveText("<b>Yes</b>, Tuesday works.");
    await expect(email.locator("b")).toHaveCount(0);
    await expect(page.getByTestId("end-reason")).toHaveText("Replied — They replied to step 1");
    await expect(page.getByTestId("sequence-runs").getByRole("link")).toHaveAttribute("href", /\/jobs\/[0-9a-f-]{36}$/);
    await expectAccessible(page);

    // A viewer reads the same figures but no job runs (they are the admins').
    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await logIn(viewer, ACME_VIEWER);
    await viewer.goto(`/campaigns/${campaignId}`);
    await expect(viewer.getByRole("region", { name: "Progress" }).getByText("2 of 55 finished")).toBeVisible({ timeout: 120_000 });
    await expect(viewer.getByRole("region", { name: "Job runs" })).toHaveCount(0);
    // The page stays current while it is open: a lead that ends meanwhile shows without a reload.
    await sql`update public.campaign_enrollments set status = 'stopped', end_cause = 'unsubscribed', next_send_at = null,
      finished_at = now() where id = ${enrollments[2]!.id}`;
    await expect(viewer.getByRole("region", { name: "Progress" }).getByText("3 of 55 finished")).toBeVisible({ timeout: 30_000 });
    await viewerContext.close();
  } finally {
    await sql`delete from public.job_events where id in ${sql([launchEvent!.id, sequenceEvent!.id])}`;
    await sql`update public.campaigns set status = 'stopped' where id = ${campaignId}`;
    await sql`delete from public.campaigns where id = ${draftCampaign!.id}`;
    await sql.end();
  }
});
