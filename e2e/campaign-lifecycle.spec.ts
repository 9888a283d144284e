import { expect, test, type Page } from "@playwright/test";
import { storedRateLimitKey } from "../lib/rate-limit/stored-key";
import { ACME_ADMIN, DEMO_PASSWORD, expectAccessible, unique, HOME_URL } from "./helpers";
import { e2eDatabase } from "./mail";

const REP = "rep@acme.test";

// next dev compiles the campaign page and its actions on first use: slow on a busy 2-core machine.
test.describe.configure({ timeout: 480_000 });

async function logIn(page: Page, email: string) {
  await page.goto("/login", { timeout: 180_000 });
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(HOME_URL, { timeout: 180_000 });
}

/**
 * An approved two-step campaign of Acme's rep for two of Acme's leads, written straight into the
 * e2e database as the editor, the submission and the approval would leave it (the service
 * connection: the campaigns guard records the hashes). The demo's own approved campaign is left
 * to the sending spec.
 */
async function approvedCampaign(sql: ReturnType<typeof e2eDatabase>, name: string): Promise<string> {
  const [ws] = await sql<{ id: string; admin: string; rep: string }[]>`
    select w.id,
      (select m.user_id from workspace_members m join auth.users u on u.id = m.user_id where m.workspace_id = w.id and u.email = ${ACME_ADMIN}) as admin,
      (select m.user_id from workspace_members m join auth.users u on u.id = m.user_id where m.workspace_id = w.id and u.email = ${REP}) as rep
    from workspaces w where exists (
      select 1 from workspace_members m join auth.users u on u.id = m.user_id where m.workspace_id = w.id and u.email = ${ACME_ADMIN})
    limit 1`;
  // Two leads the launch enrolls: none of the reasons resolve-audience.ts leaves a lead out for
  // (a lead that replied is not cold-emailed again; the demo has some, and other specs add more).
  const leads = await sql<{ id: string }[]>`
    select id from leads where workspace_id = ${ws!.id} and email is not null and deleted_at is null
      and status not in ('unsubscribed', 'bounced', 'replied') and email_status is distinct from 'invalid'
      and not exists (select 1 from campaign_enrollments e where e.lead_id = leads.id and e.status = 'active')
      and not exists (select 1 from suppressions s where s.workspace_id = leads.workspace_id
        and ((s.kind = 'email' and s.value = lower(leads.email)) or (s.kind = 'domain' and s.value = lower(split_part(leads.email, '@', 2)))))
    order by id limit 2`;
  const [identity] = await sql<{ id: string }[]>`
    select id from sending_identities where workspace_id = ${ws!.id} and archived_at is null order by from_email limit 1`;
  const audience = { kind: "ids", ids: leads.map((l) => l.id) };
  return sql.begin(async (tx) => {
    const [campaign] = await tx<{ id: string }[]>`
      insert into campaigns (workspace_id, owner_id, name, audience) values (${ws!.id}, ${ws!.rep}, ${name}, ${tx.json(audience)}) returning id`;
    const [step] = await tx<{ id: string }[]>`
      insert into campaign_steps (workspace_id, campaign_id, position) values (${ws!.id}, ${campaign!.id}, 1) returning id`;
    await tx`insert into campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
      values (${ws!.id}, ${campaign!.id}, ${step!.id}, 'A', 'Hello {{ first_name | default: "there" }}', 'A short note.')`;
    // A second step three days later keeps it running once the first emails are out.
    const [second] = await tx<{ id: string }[]>`
      insert into campaign_steps (workspace_id, campaign_id, position, delay_days) values (${ws!.id}, ${campaign!.id}, 2, 3) returning id`;
    await tx`insert into campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
      values (${ws!.id}, ${campaign!.id}, ${second!.id}, 'A', 'Following up', 'Any thoughts?')`;
    await tx`insert into campaign_identities (workspace_id, campaign_id, identity_id) values (${ws!.id}, ${campaign!.id}, ${identity!.id})`;
    await tx`update campaigns set status = 'pending_approval', submitted_at = now(), submitted_by = ${ws!.rep} where id = ${campaign!.id}`;
    await tx`update campaigns set status = 'approved', approved_content_hash = private.campaign_content_hash(${campaign!.id}),
      approved_by = ${ws!.admin}, approved_at = now() where id = ${campaign!.id}`;
    return campaign!.id;
  });
}

test("an admin launches an approved campaign, pauses it saying why, resumes it and stops it for good, each after asking; a rep gets no such buttons", async ({
  page,
  browser,
}, testInfo) => {
  const sql = e2eDatabase(testInfo);
  try {
    const name = `Lifecycle ${unique()}`;
    const campaignId = await approvedCampaign(sql, name);

    await logIn(page, ACME_ADMIN);
    await page.goto(`/campaigns/${campaignId}`);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 120_000 });
    const controls = page.getByTestId("campaign-lifecycle");
    await expect(controls.getByRole("button")).toHaveText(["Launch", "Withdraw approval"]);
    await expectAccessible(page);

    // Launch, after asking.
    await controls.getByRole("button", { name: "Launch" }).click();
    const launchDialog = page.getByRole("alertdialog", { name: `Launch “${name}”?` });
    await expect(launchDialog).toContainText("Its audience is enrolled now");
    await expectAccessible(page);
    await launchDialog.getByRole("button", { name: "Launch campaign" }).click();
    await expect(page.getByText(`“${name}” is launched.`)).toBeVisible({ timeout: 60_000 });
    await expect(controls.getByRole("button")).toHaveText(["Pause", "Stop"], { timeout: 60_000 });
    await expect
      .poll(async () => (await sql`select count(*)::int as n from campaign_enrollments where campaign_id = ${campaignId}`)[0]!.n, {
        timeout: 60_000,
      })
      .toBe(2);

    // Pause: a reason is required, then it is shown on the page.
    await controls.getByRole("button", { name: "Pause" }).click();
    const pauseDialog = page.getByRole("dialog", { name: `Pause “${name}”?` });
    await pauseDialog.getByRole("button", { name: "Pause campaign" }).click();
    await expect(pauseDialog.getByText("Say why it is paused: the team reads it on the campaign page.")).toBeVisible({ timeout: 60_000 });
    await expectAccessible(page);
    await pauseDialog.getByLabel("Why pause it").fill("Checking the list with sales");
    await pauseDialog.getByRole("button", { name: "Pause campaign" }).click();
    await expect(page.getByText(`“${name}” is paused.`)).toBeVisible({ timeout: 60_000 });
    await expect(pauseDialog).toBeHidden();
    await expect(controls.getByRole("button")).toHaveText(["Resume", "Stop"], { timeout: 60_000 });
    const [paused] = await sql<
      { status: string; pause_reason: string }[]
    >`select status, pause_reason from campaigns where id = ${campaignId}`;
    expect(paused).toEqual({ status: "paused", pause_reason: "Checking the list with sales" });

    // Resume, after asking.
    await controls.getByRole("button", { name: "Resume" }).click();
    await page
      .getByRole("alertdialog", { name: `Resume “${name}”?` })
      .getByRole("button", { name: "Resume campaign" })
      .click();
    await expect(page.getByText(`“${name}” is running again.`)).toBeVisible({ timeout: 60_000 });
    await expect(controls.getByRole("button")).toHaveText(["Pause", "Stop"], { timeout: 60_000 });

    // A rep sees the campaign but none of these buttons.
    const repContext = await browser.newContext();
    const rep = await repContext.newPage();
    await logIn(rep, REP);
    await rep.goto(`/campaigns/${campaignId}`);
    await expect(rep.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 120_000 });
    await expect(rep.getByTestId("campaign-lifecycle")).toHaveCount(0);
    await repContext.close();

    // Stop for good, after asking: every enrollment ends, no button is left.
    await controls.getByRole("button", { name: "Stop" }).click();
    const stopDialog = page.getByRole("alertdialog", { name: `Stop “${name}” for good?` });
    await expect(stopDialog).toContainText("cannot be resumed");
    await expectAccessible(page);
    await stopDialog.getByRole("button", { name: "Stop campaign" }).click();
    await expect(page.getByText(`“${name}” is stopped.`)).toBeVisible({ timeout: 60_000 });
    await expect(controls.getByRole("button")).toHaveCount(0, { timeout: 60_000 });
    const ends = await sql<{ status: string; end_cause: string | null }[]>`
      select status, end_cause from campaign_enrollments where campaign_id = ${campaignId} and status = 'active'`;
    expect(ends).toEqual([]);
    await expectAccessible(page);
  } finally {
    await sql.end();
  }
});

test("an admin withdraws the approval of a campaign never launched, after asking: it is back in draft, audited", async ({
  page,
}, testInfo) => {
  const sql = e2eDatabase(testInfo);
  try {
    const name = `Withdrawn ${unique()}`;
    const campaignId = await approvedCampaign(sql, name);

    await logIn(page, ACME_ADMIN);
    await page.goto(`/campaigns/${campaignId}`);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 120_000 });
    const controls = page.getByTestId("campaign-lifecycle");
    await controls.getByRole("button", { name: "Withdraw approval" }).click();
    const dialog = page.getByRole("alertdialog", { name: `Withdraw the approval of “${name}”?` });
    await expect(dialog).toContainText("Nothing has been sent. It goes back to draft");
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Withdraw approval" }).click();
    await expect(page.getByText(`“${name}” is back in draft.`)).toBeVisible({ timeout: 60_000 });
    // A draft: the lifecycle buttons give way to the author's Delete.
    await expect(controls).toHaveCount(0, { timeout: 60_000 });
    const [row] = await sql<{ status: string; approval_id: string | null }[]>`
      select status, approval_id from campaigns where id = ${campaignId}`;
    expect(row).toEqual({ status: "draft", approval_id: null });
    const audits = await sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where target_id = ${campaignId} and action = 'campaign.approval_withdrawn'`;
    expect(audits[0]!.n).toBe(1);
    await expectAccessible(page);
  } finally {
    await sql.end();
  }
});

test("a campaign edited since its launch (back in draft) offers an admin Stop, not Delete: its enrollments end", async ({
  page,
}, testInfo) => {
  const sql = e2eDatabase(testInfo);
  try {
    const name = `Edited after launch ${unique()}`;
    const campaignId = await approvedCampaign(sql, name);
    // Launched with one lead enrolled, as the launch job leaves it, then edited: back in draft.
    await sql`update campaigns set status = 'running', launched_at = now() where id = ${campaignId}`;
    await sql`update campaigns set enrolled_at = now() where id = ${campaignId}`;
    await sql`insert into campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_send_at)
      select c.workspace_id, c.id, (c.audience->'ids'->>0)::uuid, ci.identity_id, now() + interval '3 days'
      from campaigns c join campaign_identities ci on ci.campaign_id = c.id where c.id = ${campaignId} limit 1`;
    await sql`update campaigns set stop_on_reply = not stop_on_reply where id = ${campaignId}`;

    await logIn(page, ACME_ADMIN);
    await page.goto(`/campaigns/${campaignId}`);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 120_000 });
    const controls = page.getByTestId("campaign-lifecycle");
    await expect(controls.getByRole("button")).toHaveText(["Stop"], { timeout: 60_000 });
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await expectAccessible(page);
    await controls.getByRole("button", { name: "Stop" }).click();
    await page
      .getByRole("alertdialog", { name: `Stop “${name}” for good?` })
      .getByRole("button", { name: "Stop campaign" })
      .click();
    await expect(page.getByText(`“${name}” is stopped.`)).toBeVisible({ timeout: 60_000 });
    const ends = await sql<{ status: string; end_cause: string | null }[]>`
      select status, end_cause from campaign_enrollments where campaign_id = ${campaignId}`;
    expect(ends).toEqual([{ status: "stopped", end_cause: "campaign_stopped" }]);
  } finally {
    await sql.end();
  }
});

test("past the workspace's hourly limit on campaign changes, an admin's launch is refused with when to try again, and nothing starts", async ({
  page,
  baseURL,
}, testInfo) => {
  const sql = e2eDatabase(testInfo);
  let key: string | null = null;
  try {
    const name = `Limited ${unique()}`;
    const campaignId = await approvedCampaign(sql, name);
    await logIn(page, ACME_ADMIN);
    await page.goto(`/campaigns/${campaignId}`);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 120_000 });

    // Acme's campaign-changes counter, full for the next minute: as after 120 launches, pauses,
    // resumes and stops within the hour (RATE_LIMIT_CAMPAIGN_CHANGES_PER_HOUR), without making them.
    const [campaign] = await sql<{ workspace_id: string }[]>`select workspace_id from campaigns where id = ${campaignId}`;
    key = storedRateLimitKey(baseURL!, "workspace-campaign-changes", campaign!.workspace_id);
    await sql`
      insert into private.rate_limits (key, points, expire) values (${key}, 1000000, now() + interval '60 seconds')
      on conflict (key) do update set points = excluded.points, expire = excluded.expire`;

    const controls = page.getByTestId("campaign-lifecycle");
    await controls.getByRole("button", { name: "Launch" }).click();
    const dialog = page.getByRole("alertdialog", { name: `Launch “${name}”?` });
    const launch = dialog.getByRole("button", { name: "Launch campaign" });
    await launch.click();
    // The refusal stays in the dialog, read where the admin is, who keeps the focus there.
    await expect(dialog.getByRole("alert")).toHaveText(
      /^This workspace has launched, paused, resumed or stopped campaigns 120 times within the last hour, the most allowed — try again in \d+ seconds\.$/,
      { timeout: 60_000 },
    );
    await expect(launch).toBeFocused();
    await expectAccessible(page);
    const [row] = await sql<{ status: string }[]>`select status from campaigns where id = ${campaignId}`;
    expect(row).toEqual({ status: "approved" });
    // Closed and opened again, the dialog starts afresh.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(controls.getByRole("button")).toHaveText(["Launch", "Withdraw approval"]);
    await controls.getByRole("button", { name: "Launch" }).click();
    await expect(dialog.getByText("Choose how it is delivered.")).toBeVisible();
    await expect(dialog.getByRole("alert")).toHaveCount(0);
  } finally {
    if (key) await sql`delete from private.rate_limits where key = ${key}`;
    await sql.end();
  }
});
