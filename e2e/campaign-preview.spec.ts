import { expect, test } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { ACME_ADMIN, DEMO_PASSWORD, unique, HOME_URL } from "./helpers";
import { e2eDatabase } from "./mail";

/**
 * The campaign page's preview: any step and variant, for any lead of the audience, exactly as
 * it will be sent (From, subject, the one-click unsubscribe headers, the HTML part in a
 * sandboxed frame with the lead's values escaped, the text part); a lead whose variable is empty
 * without a fallback is shown as blocked, with the reason; "Send a test to me" reaches the
 * outbox from the sending identity; an edit in the editor shows there once autosaved.
 */
test("previews any step and variant for a lead of the audience, shows a blocked lead, and sends a test to me", async ({ page }, info) => {
  test.setTimeout(600_000);
  const sql = e2eDatabase(info);
  const tag = unique();
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [admin] = await sql<{ id: string }[]>`select id from auth.users where email = ${ACME_ADMIN}`;
  const ws = acme!.id;
  const country = "IS";
  const [identity] = await sql<{ id: string }[]>`
    insert into public.sending_identities (workspace_id, from_name, from_email, postal_address, signature)
    values (${ws}, 'Preview Sender', ${`preview-${tag}@acme.test`}, '1 Harbour Road, Reykjavík', 'Preview Sender') returning id`;
  const [campaign] = await sql<{ id: string }[]>`
    insert into public.campaigns (workspace_id, owner_id, name, audience)
    values (${ws}, ${admin!.id}, ${`Preview ${tag}`}, ${sql.json({ kind: "filter", query: `country=${country}` })}) returning id`;
  const [step] = await sql<{ id: string }[]>`
    insert into public.campaign_steps (workspace_id, campaign_id, position) values (${ws}, ${campaign!.id}, 1) returning id`;
  await sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, weight, subject, body) values
    (${ws}, ${campaign!.id}, ${step!.id}, 'A', 50, 'Hi {{ first_name }}', ${"Hello {{ first_name }},\n\nSee https://acme.test/demo."}),
    (${ws}, ${campaign!.id}, ${step!.id}, 'B', 50, 'Quick question, {{ first_name | default: "there" }}', 'Variant B.')`;
  await sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id) values (${ws}, ${campaign!.id}, ${identity!.id})`;
  await sql`insert into public.leads (workspace_id, first_name, last_name, email, country) values
    (${ws}, '<b>Ólöf</b>', 'Aa', ${`olof-${tag}@lead.test`}, ${country}),
    (${ws}, null, 'Zz-nameless', ${`nameless-${tag}@lead.test`}, ${country})`;

  try {
    // A cold dev server compiles /leads and the campaign page on their first visit: on a busy
    // 2-core machine each can take minutes, longer than logIn's and a navigation's own waits.
    await page.goto("/login", { timeout: 180_000 });
    await page.getByLabel("Work email").fill(ACME_ADMIN);
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(HOME_URL, { timeout: 240_000 });
    await page.goto(`/campaigns/${campaign!.id}`, { timeout: 240_000 });
    const preview = page.getByRole("region", { name: "Preview" });
    const lead = preview.getByLabel("Lead", { exact: true });
    await expect(lead.locator("option")).toHaveCount(2, { timeout: 120_000 });

    // The lead without a first name: blocked, with the reason, never a blank.
    await lead.selectOption({ label: `Zz-nameless — nameless-${tag}@lead.test` });
    await expect(preview.getByText("This lead would not get this email:")).toBeVisible();
    await expect(preview.getByText(/first_name is empty for this lead and has no fallback/).first()).toBeVisible();
    await expect(preview.getByRole("button", { name: "Send a test to me" })).toBeDisabled();

    await lead.selectOption({ label: `<b>Ólöf</b> Aa — olof-${tag}@lead.test` });
    await expect(preview.getByText("Hi <b>Ólöf</b>", { exact: true })).toBeVisible();
    await expect(preview.getByText(`"Preview Sender" <preview-${tag}@acme.test>`)).toBeVisible();
    await expect(preview.getByText(/^<http:\/\/.+\/unsubscribe\/test>, <mailto:[^>]+\?subject=unsubscribe>$/)).toBeVisible();
    await expect(preview.getByText("List-Unsubscribe=One-Click")).toBeVisible();

    // The HTML part: sandboxed (no scripts, no same origin), the lead's value shown as text, not markup.
    const frame = preview.locator('iframe[title="Message body"]');
    await expect(frame).toHaveAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
    const body = page.frameLocator('iframe[title="Message body"]');
    await expect(body.getByText("Hello <b>Ólöf</b>,")).toBeVisible();
    await expect(body.locator("b")).toHaveCount(0);
    await expect(body.getByRole("link", { name: "https://acme.test/demo" })).toBeVisible();
    await expect(body.getByRole("link", { name: "Unsubscribe" })).toBeVisible();
    await expect(preview.locator("pre")).toContainText("Hello <b>Ólöf</b>,");
    await expectPreviewAccessible(page);

    await preview.getByLabel("Variant").selectOption("B");
    await expect(preview.getByText("Quick question, <b>Ólöf</b>", { exact: true })).toBeVisible();
    await preview.getByLabel("Variant").selectOption("A");
    await expect(preview.getByText("Hi <b>Ólöf</b>", { exact: true })).toBeVisible();

    await preview.getByLabel("Find a lead of the audience").fill("ólöf");
    await expect(preview.getByText("Hi <b>Ólöf</b>", { exact: true })).toBeVisible();
    await preview.getByRole("button", { name: "Send a test to me" }).click();
    await expect(page.getByText(`Test sent to ${ACME_ADMIN}`)).toBeVisible();
    const sent = await sql<{ from_address: string; subject: string }[]>`
      select from_address, subject from local.outbox_messages where ${ACME_ADMIN} = any(to_addresses) and subject = ${"[Test] Hi <b>Ólöf</b>"}`;
    expect(sent).toEqual([{ from_address: `"Preview Sender" <preview-${tag}@acme.test>`, subject: "[Test] Hi <b>Ólöf</b>" }]);

    // An edit in the editor reaches the preview once autosaved, without Refresh; until then it says it is behind.
    const step1 = page.getByRole("region", { name: "Step 1" });
    const behind = preview.getByText("Your latest edit shows here once it is saved…");
    await step1.getByLabel("Subject (variant A)").fill("Hello again {{ first_name }}");
    await expect(behind).toBeVisible();
    await expect(preview.getByText("Hello again <b>Ólöf</b>", { exact: true })).toBeVisible();
    await expect(behind).toHaveCount(0);
    await step1.getByLabel("Body (variant A)").fill("Second edit for {{ first_name }}.");
    await expect(preview.locator("pre")).toContainText("Second edit for <b>Ólöf</b>.");
    await expect(body.getByText("Second edit for <b>Ólöf</b>.")).toBeVisible();
  } finally {
    await sql`delete from public.campaigns where id = ${campaign!.id}`;
    await sql`delete from public.sending_identities where id = ${identity!.id}`;
    await sql`delete from public.leads where workspace_id = ${ws} and email like ${`%-${tag}@lead.test`}`;
    await sql.end();
  }
});

/**
 * axe on the preview itself (the campaign page is the editor's and has its own spec): every
 * serious or critical WCAG 2.1 A/AA violation fails, the email inside the frame excepted.
 */
async function expectPreviewAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .include('[data-testid=\"campaign-email-preview\"]')
    .exclude('iframe[title="Message body"]')
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  expect(results.passes.length).toBeGreaterThan(0);
}
