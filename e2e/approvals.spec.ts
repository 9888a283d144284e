import { expect, test, type Page, type Request } from "@playwright/test";
import { DEMO_PASSWORD, GLOBEX_ADMIN, expectAccessible, mainNav, unique, HOME_URL } from "./helpers";
import { e2eDatabase } from "./mail";

const ADMIN = "admin@acme.test";
const REP = "rep@acme.test";
/** Waiting for approval in the demo data (scripts/lib/seed-campaigns.ts); this spec leaves it so. */
const PENDING = "Hot pipeline check-in";

// next dev compiles the approvals pages on first use: on a busy 2-core machine that takes a while.
test.describe.configure({ timeout: 240_000 });

async function logIn(page: Page, email: string) {
  await page.goto("/login", { timeout: 180_000 });
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(HOME_URL, { timeout: 180_000 });
}

/** A server action's request as the browser sent it, replayed with another person's cookies and a changed body. */
async function replay(page: Page, request: Request, body: string) {
  const headers = request.headers();
  return page.request.post(request.url(), {
    headers: {
      "next-action": headers["next-action"]!,
      "content-type": headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: headers["accept"] ?? "text/x-component",
      origin: new URL(request.url()).origin,
      ...(headers["next-router-state-tree"] ? { "next-router-state-tree": headers["next-router-state-tree"] } : {}),
    },
    data: body,
  });
}

test("an admin reviews a submitted campaign on rendered samples; a reject needs a comment; a rep and another workspace's admin can neither open nor decide it", async ({
  page,
  browser,
}) => {
  await logIn(page, ADMIN);
  await mainNav(page).getByRole("link", { name: "Approvals" }).click();
  await expect(page).toHaveURL(/\/approvals$/, { timeout: 60_000 });
  const row = page.getByRole("row").filter({ hasText: PENDING });
  await expect(row).toContainText("Bruno Sánchez");
  await expect(row).toContainText("Saved view “Hot pipeline”");
  await expectAccessible(page);

  await row.getByRole("link", { name: PENDING }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Review: ${PENDING}` })).toBeVisible({ timeout: 60_000 });
  const reviewUrl = page.url();
  // Every step rendered for real leads of the audience, exactly as sent.
  const samples = page.getByRole("region", { name: "Rendered samples" });
  await expect(samples.getByRole("group", { name: "Sample lead" }).getByRole("button")).not.toHaveCount(0);
  await expect(samples.getByTestId("sample-subject")).toHaveText(/^Next step for .+\?$/);
  await expect(samples.getByTitle("Message body")).toBeVisible();
  // Sandboxed: no scripts, no same origin (the frame's own CSP is the second wall).
  await expect(samples.getByTitle("Message body").first()).toHaveAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
  await samples.getByRole("button", { name: "Text" }).click();
  await expect(samples.getByTestId("sample-text")).toContainText("Unsubscribe: http");
  await samples.getByRole("group", { name: "Email" }).getByRole("button", { name: "Step 2" }).click();
  await expect(samples.getByTestId("sample-subject")).toHaveText("The case study I mentioned");
  await expect(page.getByRole("region", { name: "Pre-flight checks" })).toContainText("matching leads will be emailed");
  await expect(page.getByRole("region", { name: "Steps" })).toContainText("Sent 2 days (business days) after the previous step");
  await expectAccessible(page);

  // A rejection without a comment is refused in words, and nothing changes.
  const [rejectRequest] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]),
    page.getByRole("button", { name: "Reject with this comment" }).click(),
  ]);
  await expect(page.getByText("Say what needs to change: the author reads this comment.")).toBeVisible();
  await expectAccessible(page);
  const body = rejectRequest.postData() ?? "";
  expect(body).toContain('"comment":""');
  const forgedBody = body.replace('"comment":""', '"comment":"Forged rejection"');

  // The rep has no Approvals, cannot open the review, and replaying the admin's request is refused.
  const repContext = await browser.newContext();
  const rep = await repContext.newPage();
  await logIn(rep, REP);
  await expect(mainNav(rep).getByRole("link", { name: "Approvals" })).toHaveCount(0);
  await rep.goto(reviewUrl);
  await expect(rep.getByRole("heading", { name: "Your role does not allow this page" })).toBeVisible();
  const byRep = await replay(rep, rejectRequest, forgedBody);
  expect(byRep.status()).toBe(200);
  expect(await byRep.text()).toContain('"code":"forbidden"');
  await repContext.close();

  // Another workspace's admin may approve in their own workspace, but this campaign is not there.
  const globexContext = await browser.newContext();
  const globex = await globexContext.newPage();
  await logIn(globex, GLOBEX_ADMIN);
  await globex.goto("/approvals");
  await expect(globex.getByRole("link", { name: PENDING })).toHaveCount(0);
  await globex.goto(reviewUrl);
  await expect(globex.getByRole("heading", { name: "Not found" })).toBeVisible();
  // The request names the workspace its page showed (Acme's, useAction's page pin), which is not
  // theirs: refused as such. Without the pin it acts in their own workspace, where the campaign is not.
  const byGlobex = await replay(globex, rejectRequest, forgedBody);
  expect(await byGlobex.text()).toContain('"code":"conflict"');
  const unpinned = JSON.stringify([(JSON.parse(forgedBody) as unknown[])[0]]);
  const byGlobexUnpinned = await replay(globex, rejectRequest, unpinned);
  expect(await byGlobexUnpinned.text()).toContain('"code":"not_found"');
  await globexContext.close();

  await page.reload();
  await expect(page.getByRole("region", { name: "Decision" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Earlier decisions" })).toHaveCount(0);
});

/**
 * A campaign of Acme's rep for one new lead, submitted (written straight into the e2e database as
 * the editor and the submission would leave it), whose lead then unsubscribed: pre-flight passed
 * at submission and blocks now.
 */
async function pendingCampaignOfGoneLead(sql: ReturnType<typeof e2eDatabase>, name: string) {
  const [ws] = await sql<{ id: string; rep: string; identity: string }[]>`
    select w.id,
      (select m.user_id from workspace_members m join auth.users u on u.id = m.user_id where m.workspace_id = w.id and u.email = ${REP}) as rep,
      (select i.id from sending_identities i where i.workspace_id = w.id and i.archived_at is null order by i.from_email limit 1) as identity
    from workspaces w where exists (
      select 1 from workspace_members m join auth.users u on u.id = m.user_id where m.workspace_id = w.id and u.email = ${ADMIN})
    limit 1`;
  return sql.begin(async (tx) => {
    const [lead] = await tx<{ id: string }[]>`
      insert into leads (workspace_id, first_name, last_name, email) values (${ws!.id}, 'Gone', ${name}, ${`gone-${unique()}@example.test`})
      returning id`;
    const [campaign] = await tx<{ id: string }[]>`
      insert into campaigns (workspace_id, owner_id, name, audience)
      values (${ws!.id}, ${ws!.rep}, ${name}, ${tx.json({ kind: "ids", ids: [lead!.id] })}) returning id`;
    const [step] = await tx<{ id: string }[]>`
      insert into campaign_steps (workspace_id, campaign_id, position) values (${ws!.id}, ${campaign!.id}, 1) returning id`;
    await tx`insert into campaign_step_variants (workspace_id, campaign_id, step_id, label, subject, body)
      values (${ws!.id}, ${campaign!.id}, ${step!.id}, 'A', 'Hello {{ first_name | default: "there" }}', 'A short note.')`;
    await tx`insert into campaign_identities (workspace_id, campaign_id, identity_id) values (${ws!.id}, ${campaign!.id}, ${ws!.identity})`;
    await tx`update campaigns set status = 'pending_approval', submitted_at = now(), submitted_by = ${ws!.rep} where id = ${campaign!.id}`;
    await tx`update leads set status = 'unsubscribed' where id = ${lead!.id}`;
    return { campaignId: campaign!.id, leadId: lead!.id };
  });
}

test("approval runs pre-flight again: a submitted campaign whose only lead unsubscribed since is refused with the reason and stays pending", async ({
  page,
}, testInfo) => {
  const sql = e2eDatabase(testInfo);
  let made: { campaignId: string; leadId: string } | undefined;
  try {
    made = await pendingCampaignOfGoneLead(sql, `Gone since submission ${unique()}`);
    await logIn(page, ADMIN);
    await page.goto(`/approvals/${made.campaignId}`, { timeout: 120_000 });
    await expect(page.getByRole("region", { name: "Pre-flight checks" })).toContainText("1 problem blocks approval", { timeout: 60_000 });
    // The approver cannot edit the campaign, so the list is not headed as theirs to fix.
    await expect(page.getByRole("heading", { name: "Blocking approval" })).toBeVisible();
    await page.getByRole("button", { name: "Approve this content" }).click();
    await expect(page.getByRole("region", { name: "Decision" }).getByRole("alert")).toContainText(
      "This campaign cannot be approved yet. The one lead of this audience cannot be emailed (see the exclusions): choose another audience. Reject it so its author can fix it.",
      { timeout: 60_000 },
    );
    await expectAccessible(page);
    expect((await sql<{ status: string }[]>`select status from campaigns where id = ${made.campaignId}`)[0]!.status).toBe(
      "pending_approval",
    );
    expect(await sql`select 1 from campaign_approvals where campaign_id = ${made.campaignId}`).toHaveLength(0);
  } finally {
    if (made) {
      await sql`delete from campaigns where id = ${made.campaignId}`;
      await sql`delete from leads where id = ${made.leadId}`;
    }
    await sql.end();
  }
});
