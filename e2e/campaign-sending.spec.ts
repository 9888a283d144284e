import { expect, test, type Page } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

// Issue 13 end to end: a dozen pages next dev compiles on first use, and real sends, webhooks
// and jobs between them.
test.describe.configure({ timeout: 600_000 });

/**
 * Zones spread round the clock. The test picks, at the time it runs, the one where it is
 * nearest noon (inside a 06:00–18:00 window) and the one nearest midnight (outside it), so it
 * checks the lead's own clock whatever the hour of the run.
 */
const ZONES = [
  "Pacific/Honolulu",
  "America/Los_Angeles",
  "America/Denver",
  "America/New_York",
  "America/Sao_Paulo",
  "UTC",
  "Europe/Berlin",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Pacific/Auckland",
  "Pacific/Kiritimati",
];

function localMinute(zone: string, at = new Date()): number {
  const [hour, minute] = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" })
    .format(at)
    .split(":")
    .map(Number);
  return hour! * 60 + minute!;
}

function zoneNearest(minuteOfDay: number): string {
  const distance = (zone: string) => {
    const d = Math.abs(localMinute(zone) - minuteOfDay);
    return Math.min(d, 1440 - d);
  };
  return [...ZONES].sort((a, b) => distance(a) - distance(b))[0]!;
}

type Lead = { firstName: string; lastName: string; email: string; url?: string };

async function addLead(page: Page, lead: Lead, timeZone: string, tag: string): Promise<string> {
  await page.goto("/leads/new", { timeout: 120_000 });
  const form = page.getByRole("form", { name: "New lead" });
  await form.getByLabel("First name").fill(lead.firstName);
  await form.getByLabel("Last name").fill(lead.lastName);
  await form.getByLabel("Email").fill(lead.email);
  await form.getByLabel("Time zone").fill(timeZone);
  await form.getByLabel("Tags").fill(tag);
  await form.getByRole("button", { name: "Add lead" }).click();
  await expect(page).toHaveURL(/\/leads\/[0-9a-f-]{36}$/, { timeout: 120_000 });
  return page.url();
}

const saved = (page: Page) => expect(page.getByTestId("save-status")).toHaveText("All changes saved", { timeout: 60_000 });
const header = (page: Page) => page.locator("header", { has: page.getByRole("heading", { level: 1 }) });
const timeline = (page: Page) => page.getByTestId("lead-timeline");
const leadStatus = (page: Page) => page.getByLabel("Status", { exact: true });

const onCleanup: (() => Promise<unknown>)[] = [];
test.afterEach(async () => {
  for (const cleanup of onCleanup.splice(0)) await cleanup();
});

/** Opens, in the Dev outbox, the campaign email sent to `address`. */
async function openInOutbox(page: Page, address: string) {
  await page.goto("/settings/outbox", { timeout: 120_000 });
  await page
    .getByRole("list", { name: "Messages" })
    .getByRole("link", { name: new RegExp(`to ${address}`) })
    .first()
    .click();
  await expect(page.getByRole("article", { name: "Message" })).toContainText(`to ${address}`);
}

test("an admin launches an approved campaign: step 1 reaches the outbox for each lead inside its window and waits for the one outside it; a simulated reply stops that lead's sequence and shows on its timeline; a simulated hard bounce marks its lead bounced; the email's unsubscribe link works without a session and suppresses the lead", async ({
  page,
  browser,
}, testInfo) => {
  const run = unique();
  const tag = `e2e-send-${run}`;
  const inside = zoneNearest(12 * 60);
  const outside = zoneNearest(0);
  const replier: Lead = { firstName: "Rosa", lastName: `Reply ${run}`, email: `rosa-${run}@example.test` };
  const bouncer: Lead = { firstName: "Bruno", lastName: `Bounce ${run}`, email: `bruno-${run}@example.test` };
  const leaver: Lead = { firstName: "Lina", lastName: `Leave ${run}`, email: `lina-${run}@example.test` };
  const sleeper: Lead = { firstName: "Noor", lastName: `Night ${run}`, email: `noor-${run}@example.test` };

  await logIn(page, ACME_ADMIN);

  // A mailbox sending every day from 06:00 to 18:00 in each lead's own zone.
  const mailbox = `sender-${run}@acme.test`;
  await page.goto("/settings/sending", { timeout: 120_000 });
  const identityForm = page.getByRole("form", { name: "Add a sending identity" });
  await identityForm.getByLabel("From name").fill("Sam Sender");
  await identityForm.getByLabel("From address").fill(mailbox);
  await identityForm.getByLabel("Default time zone").fill("UTC");
  await identityForm.getByLabel("Sends from").fill("06:00");
  await identityForm.getByLabel("Until").fill("18:00");
  for (const day of ["Sat", "Sun"]) await identityForm.getByLabel(day).check();
  await identityForm.getByLabel("Postal address").fill("1 Market Street, San Francisco, CA 94105");
  await identityForm.getByRole("button", { name: "Add identity" }).click();
  await expect(page.getByText(`${mailbox} can now be chosen for campaigns.`)).toBeVisible();

  // Three leads where it is about noon, one where it is about midnight.
  for (const lead of [replier, bouncer, leaver]) lead.url = await addLead(page, lead, inside, tag);
  sleeper.url = await addLead(page, sleeper, outside, tag);

  // The campaign: the tagged leads, two steps, the second three business days later.
  const name = `Window check ${run}`;
  await page.goto(`/campaigns/new?filter=${encodeURIComponent(`tags=${tag}`)}`, { timeout: 120_000 });
  // On a busy machine the form can render before it is hydrated, and hydration empties it: again until it takes.
  await expect(async () => {
    if (/\/campaigns\/new/.test(page.url())) {
      await page.getByLabel("Name").fill(name);
      await page.getByRole("button", { name: "Create draft" }).click();
    }
    await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  }).toPass({ timeout: 180_000 });
  const campaignUrl = page.url();
  const campaignId = campaignUrl.split("/").pop()!;
  await page.getByRole("checkbox", { name: new RegExp(mailbox) }).check();
  await page.getByRole("button", { name: "Add a step" }).click();
  const step1 = page.getByRole("region", { name: "Step 1" });
  await step1.getByLabel("Subject").fill('A quick question, {{ first_name | default: "there" }}');
  await step1.getByLabel("Body").fill('Hi {{ first_name | default: "there" }},\n\nWould a short call next week help?');
  await page.getByRole("button", { name: "Add a step" }).click();
  const step2 = page.getByRole("region", { name: "Step 2" });
  await step2.getByLabel("Subject").fill("Following up");
  await step2.getByLabel("Body").fill('Hi {{ first_name | default: "there" }},\n\nJust checking in.');
  await saved(page);
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await expect(page.getByText("Submitted: the admins are notified.")).toBeVisible({ timeout: 60_000 });

  await page.goto(`/approvals/${campaignId}`, { timeout: 120_000 });
  await page.getByRole("button", { name: "Approve this content" }).click();
  await expect(page.getByText("Campaign approved.")).toBeVisible({ timeout: 60_000 });

  // The admin launches it from the campaign page.
  await page.goto(campaignUrl);
  await page.getByTestId("campaign-lifecycle").getByRole("button", { name: "Launch" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("in the lead's time zone");
  await page.getByRole("alertdialog").getByRole("button", { name: "Launch campaign" }).click();
  await expect(page.getByText(`“${name}” is launched.`)).toBeVisible({ timeout: 60_000 });
  await expect(header(page).getByText("Running", { exact: true })).toBeVisible({ timeout: 60_000 });
  // The pointer is left where the dialog's button was, over the funnel chart: move it off, so the
  // page is checked as it stands rather than with whichever chart tooltip the pointer happens to open.
  await page.mouse.move(0, 0);
  await expectAccessible(page);

  // Step 1 in the outbox for each lead inside its window; nothing for the lead outside it.
  const sql = e2eDatabase(testInfo);
  onCleanup.push(() => sql.end());
  const outboxed = async () =>
    (
      await sql<{ to: string }[]>`select lower(to_addresses[1]) as to from local.outbox_messages
        where lower(to_addresses[1]) in ${sql([replier.email, bouncer.email, leaver.email, sleeper.email])}`
    )
      .map((r) => r.to)
      .sort();
  await expect
    .poll(outboxed, { timeout: 120_000, message: "step 1 in the outbox" })
    .toEqual([bouncer.email, leaver.email, replier.email].sort());
  await page.goto("/settings/outbox", { timeout: 120_000 });
  const messages = page.getByRole("list", { name: "Messages" });
  for (const lead of [replier, bouncer, leaver])
    await expect(messages.getByRole("link", { name: new RegExp(`to ${lead.email}`) })).toHaveCount(1);
  await expect(messages.getByRole("link", { name: new RegExp(`to ${sleeper.email}`) })).toHaveCount(0);
  await expectAccessible(page);

  const enrollmentOf = async (lead: Lead) => {
    const [row] = await sql<{ status: string; end_cause: string | null; next_step: number; next_send_at: Date | null }[]>`
      select e.status, e.end_cause, e.next_step, e.next_send_at from public.campaign_enrollments e
      join public.leads l on l.id = e.lead_id where e.campaign_id = ${campaignId} and lower(l.email) = ${lead.email}`;
    return row!;
  };
  // Those sent to wait for step 2, three business days on; the lead outside its window waits,
  // enrolled, for 06:00 in its own zone.
  await expect.poll(async () => (await enrollmentOf(replier)).next_step).toBe(2);
  const waiting = await enrollmentOf(sleeper);
  expect(waiting).toMatchObject({ status: "active", next_step: 1 });
  const opensAt = waiting.next_send_at!;
  expect(opensAt.getTime()).toBeGreaterThan(Date.now());
  expect(localMinute(outside, opensAt)).toBe(6 * 60);

  // A reply to the first lead's email stops its sequence and shows on its timeline.
  await openInOutbox(page, replier.email);
  const replyForm = page.getByRole("form", { name: "Simulate a reply" });
  await replyForm.getByLabel("Reply from the recipient").fill("Thanks, not right now.");
  await replyForm.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByText("Reply received: event sent to the app.")).toBeVisible();
  // The reply reaches the app as Resend's would (a webhook, then a job): the lead page is opened
  // once it has been processed, as it shows what was there when it loaded.
  await expect
    .poll(async () => (await enrollmentOf(replier)).end_cause, { timeout: 120_000, message: "the reply processed" })
    .toBe("replied");
  await page.goto(replier.url!);
  await expect(timeline(page)).toContainText("replied to");
  await expect(leadStatus(page)).toHaveValue("replied");
  expect(await enrollmentOf(replier)).toMatchObject({ status: "stopped", end_cause: "replied", next_send_at: null });
  await expectAccessible(page);

  // A hard bounce marks the second lead bounced.
  await openInOutbox(page, bouncer.email);
  await page.getByRole("button", { name: "Hard bounce" }).click();
  await expect(page.getByText("Hard bounce: event sent to the app.")).toBeVisible();
  await expect
    .poll(async () => (await enrollmentOf(bouncer)).end_cause, { timeout: 120_000, message: "the bounce processed" })
    .toBe("bounced");
  await page.goto(bouncer.url!);
  await expect(leadStatus(page)).toHaveValue("bounced");
  await expect(timeline(page)).toContainText("bounced");
  expect(await enrollmentOf(bouncer)).toMatchObject({ status: "stopped", end_cause: "bounced" });

  // The third lead unsubscribes through the link in its email, with no session at all.
  await openInOutbox(page, leaver.email);
  const link = await page.getByTestId("outbox-link").filter({ hasText: "/unsubscribe/" }).first().getAttribute("href");
  expect(link, "an unsubscribe link in the email").toBeTruthy();
  const stranger = await browser.newContext();
  const reader = await stranger.newPage();
  await reader.goto(link!);
  await expect(reader.getByRole("heading", { level: 1 })).toContainText("Unsubscribe");
  await reader.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(reader.getByRole("heading", { level: 1, name: "You are unsubscribed" })).toBeVisible();
  await expectAccessible(reader);
  await stranger.close();

  await page.goto(leaver.url!);
  await expect(leadStatus(page)).toHaveValue("unsubscribed");
  expect(await enrollmentOf(leaver)).toMatchObject({ status: "stopped", end_cause: "unsubscribed" });
  await page.goto(`/settings/suppression?q=${encodeURIComponent(leaver.email)}`, { timeout: 120_000 });
  await expect(
    page
      .getByRole("table")
      .last()
      .getByRole("row", { name: new RegExp(leaver.email) }),
  ).toContainText("Unsubscribed");
  await expectAccessible(page);

  // The campaign page tells each lead's story.
  await page.goto(campaignUrl);
  const rowOf = (lead: Lead) => page.getByTestId("enrollments-table").getByRole("row", { name: new RegExp(lead.lastName) });
  await expect(rowOf(replier)).toContainText("Replied");
  await expect(rowOf(bouncer)).toContainText("Bounced");
  await expect(rowOf(leaver)).toContainText("Unsubscribed");
  await expect(rowOf(sleeper)).toContainText("In sequence");
  await expect(rowOf(sleeper).getByRole("cell").nth(3)).not.toHaveText("—");
  await page.mouse.move(0, 0);
  await expectAccessible(page);
});
