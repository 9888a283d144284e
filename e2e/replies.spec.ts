import { expect, test } from "@playwright/test";
import { ACME_ADMIN, compilePagesSignedIn, NO_SUCH_ID, expectAccessible, GLOBEX_ADMIN, logIn, mainNav, unique } from "./helpers";
import { e2eDatabase } from "./mail";

const ACME_REP = "rep@acme.test";

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  // The pages the test clicks its way to are compiled before it (a signed-out visit would compile
  // none), so a click waits for the page, never for next dev's first compile of it.
  await compilePagesSignedIn(browser, ACME_REP, [`/campaigns/${NO_SUCH_ID}`, "/replies"]);
});

/**
 * Replies as a rep follows them: a running campaign's page lists its replies with how each was
 * read (category, confidence), the lead, the step answered, the time and what the reading did;
 * the workspace's Replies inbox (in the navigation) filters by category and campaign, newest
 * first, a page at a time, and shows a reply read while it is open. Another workspace sees none
 * of them. The replies are written as the reading job leaves them (reply_classifications).
 */
test("a rep reads a campaign's replies on its page and in the Replies inbox, filtered, paged and live", async ({ page, browser }, info) => {
  test.setTimeout(600_000);
  const sql = e2eDatabase(info);
  const tag = unique();
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [admin] = await sql<{ id: string }[]>`select id from auth.users where email = ${ACME_ADMIN}`;
  const ws = acme!.id;
  const [identity] = await sql<{ id: string }[]>`
    insert into public.sending_identities (workspace_id, from_name, from_email, postal_address, signature)
    values (${ws}, 'Reply Sender', ${`replies-${tag}@acme.test`}, '1 Harbour Road, Reykjavík', 'Reply Sender') returning id`;
  const [campaign] = await sql<{ id: string }[]>`
    insert into public.campaigns (workspace_id, owner_id, name, audience)
    values (${ws}, ${admin!.id}, ${`Replies ${tag}`}, ${sql.json({ kind: "filter", query: `q=reply-${tag}` })}) returning id`;
  const campaignId = campaign!.id;
  const [step1] = await sql<{ id: string }[]>`
    insert into public.campaign_steps (workspace_id, campaign_id, position) values (${ws}, ${campaignId}, 1) returning id`;
  const [step2] = await sql<{ id: string }[]>`
    insert into public.campaign_steps (workspace_id, campaign_id, position, delay_days) values (${ws}, ${campaignId}, 2, 3) returning id`;
  await sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, weight, subject, body) values
    (${ws}, ${campaignId}, ${step1!.id}, 'A', 100, 'Hello', 'Body'), (${ws}, ${campaignId}, ${step2!.id}, 'A', 100, 'Following up', 'Body 2')`;
  await sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id) values (${ws}, ${campaignId}, ${identity!.id})`;
  await sql`update public.campaigns set status = 'pending_approval', submitted_at = now(), submitted_by = ${admin!.id} where id = ${campaignId}`;
  await sql`update public.campaigns set status = 'approved', approved_at = now(), approved_by = ${admin!.id},
    approved_content_hash = private.campaign_content_hash(${campaignId}) where id = ${campaignId}`;
  await sql`update public.campaigns set status = 'running', launched_at = now() where id = ${campaignId}`;

  // 53 leads who answered: the first to step 2 (interested), the second auto-replied through Instantly, the rest "not now".
  const leads = await sql<{ id: string; n: number }[]>`
    insert into public.leads (workspace_id, first_name, last_name, email)
    select ${ws}, 'Rep' || g, ${`Ly-${tag}`}, ${`reply-${tag}-`} || g || '@lead.test' from generate_series(1, 53) g
    returning id, (regexp_match(first_name, '\\d+'))[1]::int as n`;
  leads.sort((a, b) => a.n - b.n);
  const [enrollment] = await sql<{ id: string }[]>`
    insert into public.campaign_enrollments (workspace_id, campaign_id, lead_id, identity_id, next_step, status, end_cause, stop_reason, finished_at)
    values (${ws}, ${campaignId}, ${leads[0]!.id}, ${identity!.id}, 3, 'stopped', 'replied', 'Replied', now()) returning id`;
  const [message] = await sql<{ id: string }[]>`
    insert into public.email_messages (workspace_id, campaign_id, enrollment_id, step_id, step_position, lead_id, identity_id, status,
      to_email, subject, text_body, provider_id, sent_at)
    values (${ws}, ${campaignId}, ${enrollment!.id}, ${step2!.id}, 2, ${leads[0]!.id}, ${identity!.id}, 'sent', ${`reply-${tag}-1@lead.test`},
      'Following up', 'Body 2', ${`re_${tag}`}, now() - interval '2 hours') returning id`;
  const [reply] = await sql<{ id: string }[]>`
    insert into public.email_replies (workspace_id, message_id, campaign_id, enrollment_id, lead_id, provider_email_id, from_address,
      subject, text_body, received_at)
    values (${ws}, ${message!.id}, ${campaignId}, ${enrollment!.id}, ${leads[0]!.id}, ${`inbound-${tag}`}, ${`reply-${tag}-1@lead.test`},
      'Re: Following up', '<b>Yes</b>, let us talk on Tuesday.', now() - interval '1 minute') returning id`;
  await sql`
    insert into public.reply_classifications (workspace_id, source, reply_key, lead_id, campaign_id, enrollment_id, subject, body,
      received_at, state, category, confidence, model, classified_at, action)
    values (${ws}, 'resend', ${reply!.id}, ${leads[0]!.id}, ${campaignId}, ${enrollment!.id}, 'Re: Following up',
      '<b>Yes</b>, let us talk on Tuesday.', now() - interval '1 minute', 'classified', 'interested', 0.93, 'gpt-4o-mini', now(),
      ${sql.json({ kind: "lead_interested", statusBefore: "replied" })})`;
  await sql`
    insert into public.reply_classifications (workspace_id, source, reply_key, lead_id, campaign_id, subject, body, received_at, state,
      category, classified_at)
    values (${ws}, 'instantly', ${`inst-${tag}`}, ${leads[1]!.id}, ${campaignId}, 'Automatic reply', 'This mailbox is not monitored.',
      now() - interval '2 minutes', 'classified', 'auto_reply', now())`;
  await sql`
    insert into public.reply_classifications (workspace_id, source, reply_key, lead_id, campaign_id, subject, body, received_at, state,
      category, confidence, model, classified_at)
    select ${ws}, 'resend', ${`later-${tag}-`} || l.n, l.id, ${campaignId}, 'Re: Hello', 'Not right now, thanks.',
      now() - interval '1 hour' - l.n * interval '1 minute', 'classified', 'not_now', 0.81, 'gpt-4o-mini', now()
    from unnest(${sql.array(leads.slice(2).map((l) => l.id))}::uuid[], ${sql.array(leads.slice(2).map((l) => l.n))}::int[]) as l(id, n)`;

  try {
    await logIn(page, ACME_REP);

    // The campaign's page: its replies, newest first, with how each was read.
    await page.goto(`/campaigns/${campaignId}`, { timeout: 240_000 });
    const onCampaign = page.getByRole("region", { name: "Replies" });
    const campaignRows = onCampaign.getByRole("table", { name: "Replies to this campaign" }).locator("tbody tr");
    await expect(campaignRows).toHaveCount(25, { timeout: 120_000 });
    const interested = campaignRows.first();
    await expect(interested.getByRole("link", { name: `Rep1 Ly-${tag}` })).toHaveAttribute("href", `/leads/${leads[0]!.id}`);
    await expect(interested).toContainText("Interested");
    await expect(interested).toContainText("93 %");
    await expect(interested).toContainText("Lead marked interested, owner notified");
    // The reply is text: its markup shows as typed.
    await expect(interested).toContainText("<b>Yes</b>, let us talk on Tuesday.");
    await expect(interested.getByRole("cell").nth(5)).toHaveText("2");
    await expect(campaignRows.nth(1)).toContainText("Auto-reply");
    await expect(campaignRows.nth(1)).toContainText("via Instantly");
    await expect(campaignRows.nth(2)).toContainText("Not now");
    await expectAccessible(page);
    await onCampaign.getByRole("link", { name: "Older replies →" }).click();
    await expect(page).toHaveURL(/repliesAfter=/);
    await expect(campaignRows.first()).toContainText(`Rep26 Ly-${tag}`);
    await expect(campaignRows).toHaveCount(25);
    await onCampaign.getByRole("link", { name: "Older replies →" }).click();
    await expect(campaignRows).toHaveCount(3);
    await expect(campaignRows.last()).toContainText(`Rep53 Ly-${tag}`);

    // The inbox, from the navigation: filtered by campaign, then by category, a page at a time.
    await mainNav(page).getByRole("link", { name: "Replies" }).click();
    await expect(page).toHaveURL(/\/replies$/);
    const inbox = page.getByRole("table", { name: "Replies" });
    await page.getByRole("combobox", { name: "Campaign" }).selectOption({ label: `Replies ${tag}` });
    await expect(page).toHaveURL(new RegExp(`campaign=${campaignId}`));
    const rows = inbox.locator("tbody tr");
    await expect(rows).toHaveCount(50);
    await expect(rows.first()).toContainText(`Rep1 Ly-${tag}`);
    await expect(rows.first().getByRole("link", { name: `Replies ${tag}` })).toHaveAttribute("href", `/campaigns/${campaignId}`);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Older replies →" }).click();
    await expect(rows).toHaveCount(3);
    await expect(rows.last()).toContainText(`Rep53 Ly-${tag}`);
    await page.getByRole("link", { name: "← Newest" }).click();
    await expect(rows).toHaveCount(50);

    await page.getByRole("combobox", { name: "Category" }).selectOption("interested");
    await expect(page).toHaveURL(/category=interested/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(`Rep1 Ly-${tag}`);
    await page.getByRole("combobox", { name: "Category" }).selectOption("auto_reply");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(`Rep2 Ly-${tag}`);

    // A reply read while the inbox is open arrives without a reload.
    await page.getByRole("combobox", { name: "Category" }).selectOption("question");
    await expect(page.getByRole("heading", { name: "No replies match these filters" })).toBeVisible();
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live", { timeout: 30_000 });
    await sql`
      insert into public.reply_classifications (workspace_id, source, reply_key, lead_id, campaign_id, subject, body, received_at, state,
        category, confidence, model, classified_at)
      values (${ws}, 'resend', ${`live-${tag}`}, ${leads[2]!.id}, ${campaignId}, 'Re: Hello', 'How much does it cost?', now(), 'classified',
        'question', 0.7, 'gpt-4o-mini', now())`;
    await expect(rows).toHaveCount(1, { timeout: 20_000 });
    await expect(rows.first()).toContainText("How much does it cost?");
    await expectAccessible(page);

    // Another workspace: none of Acme's replies, even asked for by Acme's campaign.
    const globex = await browser.newPage();
    await logIn(globex, GLOBEX_ADMIN);
    await globex.goto(`/replies?campaign=${campaignId}`);
    await expect(globex.getByRole("heading", { name: "No replies match these filters" })).toBeVisible();
    await globex.goto("/replies");
    await expect(globex.getByText(`Ly-${tag}`)).toHaveCount(0);
    await globex.close();
  } finally {
    await sql`update public.campaigns set status = 'stopped' where id = ${campaignId}`;
    await sql.end();
  }
});
