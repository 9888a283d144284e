import { expect, test } from "@playwright/test";
import { fakeModelRequests, isSchema, resetFakeModel } from "./fake-model";
import { ACME_ADMIN, DEMO_PASSWORD, expectAccessible, unique, HOME_URL } from "./helpers";
import { e2eDatabase } from "./mail";

/**
 * The AI enrichment from the leads table, against the fake OpenAI-compatible server the e2e app
 * is pointed at (OPENAI_BASE_URL, playwright.config.ts): 20 selected leads, the estimate (leads,
 * tokens, cost, budget left) before anything is asked, the run followed to the end, the table
 * sorted by fit score, the lead page's panel, and `{{ icebreaker }}` in a campaign's preview.
 */
// The run's shared fake model (e2e/global-setup.ts) answers lead insights with lib/ai/testing/fake-lead-insight.ts. The
// app also asks it to read replies: this spec counts only lead-insight calls, made since it reset the log.
const insightCalls = async () => (await fakeModelRequests()).filter((r) => isSchema(r, "lead_insight")).length;

test("a rep's admin enriches 20 leads after seeing the estimate, sorts by fit score and uses {{ icebreaker }} in a campaign", async ({
  page,
}, info) => {
  test.setTimeout(600_000);
  const sql = e2eDatabase(info);
  const tag = `ai-${unique()}`;
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [admin] = await sql<{ id: string }[]>`select id from auth.users where email = ${ACME_ADMIN}`;
  const ws = acme!.id;
  // Half of them in sales (the fake model scores them 84), half not (35).
  for (let i = 0; i < 20; i++) {
    const [company] = await sql<{ id: string }[]>`
      insert into public.companies (workspace_id, name, domain, industry, employee_count)
      values (${ws}, ${`Fjord Pay ${i}`}, ${`fjord-${i}-${tag}.example`}, 'Financial Services', 120) returning id`;
    await sql`insert into public.leads (workspace_id, first_name, last_name, email, title, country, company_id, tags)
      values (${ws}, ${`Ada${String(i).padStart(2, "0")}`}, ${`Lovelace-${tag}`}, ${`ada-${i}-${tag}@lead.test`},
        ${i % 2 === 0 ? "Head of Sales" : "Office Manager"}, 'Germany', ${company!.id}, ${sql.array([tag])})`;
  }
  const [identity] = await sql<{ id: string }[]>`
    insert into public.sending_identities (workspace_id, from_name, from_email, postal_address, signature)
    values (${ws}, 'Ice Sender', ${`ice-${tag}@acme.test`}, '1 Harbour Road, Reykjavík', 'Ice Sender') returning id`;
  const [campaign] = await sql<{ id: string }[]>`
    insert into public.campaigns (workspace_id, owner_id, name, audience)
    values (${ws}, ${admin!.id}, ${`Icebreakers ${tag}`}, ${sql.json({ kind: "filter", query: `tags=${tag}` })}) returning id`;
  const [step] = await sql<{ id: string }[]>`
    insert into public.campaign_steps (workspace_id, campaign_id, position) values (${ws}, ${campaign!.id}, 1) returning id`;
  await sql`insert into public.campaign_step_variants (workspace_id, campaign_id, step_id, label, weight, subject, body) values
    (${ws}, ${campaign!.id}, ${step!.id}, 'A', 100, 'Hi {{ first_name }}', ${"{{ icebreaker }}\n\nWorth a call?"})`;
  await sql`insert into public.campaign_identities (workspace_id, campaign_id, identity_id) values (${ws}, ${campaign!.id}, ${identity!.id})`;

  await resetFakeModel();
  try {
    // A cold dev server compiles /leads on the first sign-in: on a busy 2-core machine that can take minutes.
    await page.goto("/login", { timeout: 180_000 });
    await page.getByLabel("Work email").fill(ACME_ADMIN);
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(HOME_URL, { timeout: 240_000 });
    await page.goto(`/leads?tags=${tag}&sort=name&dir=asc&pageSize=25`, { timeout: 240_000 });
    const table = page.getByRole("table", { name: "Leads" });
    const rows = table.locator("tbody tr");
    await expect(rows).toHaveCount(20, { timeout: 120_000 });
    await table.getByRole("checkbox", { name: "Select all leads on this page" }).check();
    const bar = page.getByRole("region", { name: "Selection" });
    await bar.getByRole("button", { name: "Enrich with AI" }).click();

    // The estimate, before anything is asked of the model.
    const dialog = page.getByRole("dialog", { name: "Enrich 20 leads with AI" });
    await expect(dialog.getByTestId("ai-enrich-leads")).toHaveText("20");
    await expect(dialog.getByTestId("ai-enrich-tokens")).toHaveText(/^\d{1,3}(,\d{3})+ \([\d,]+ in, 2,200 out\)$/);
    await expect(dialog.getByTestId("ai-enrich-cost")).toHaveText(/^\$0\.\d{2,4} with gpt-4o-mini$/);
    await expect(dialog.getByTestId("ai-enrich-budget")).toHaveText(/this month$|^No monthly budget set$/);
    expect(await insightCalls()).toBe(0);
    await expectAccessible(page);
    await dialog.getByRole("button", { name: /^Enrich \(about \$0\.\d+\)$/ }).click();
    await expect(page.getByText(/^Enriched with AI: 20 enriched, \$0\.\d+ spent\.$/)).toBeVisible({ timeout: 180_000 });
    expect(await insightCalls()).toBe(20);

    // The table sorted by fit score on the server, highest first.
    await page.goto(`/leads?tags=${tag}&pageSize=25&columns=name,title,fitScore,icebreaker`);
    await table.getByRole("button", { name: "ICP fit" }).click();
    await expect(page).toHaveURL(/sort=fitScore/);
    await expect(table.getByRole("columnheader", { name: "ICP fit" })).toHaveAttribute("aria-sort", "descending");
    const fitCells = rows.locator("td:nth-child(4)");
    await expect(fitCells.first()).toHaveText("84");
    await expect(fitCells.last()).toHaveText("35");
    await expect(rows.first().locator("td:nth-child(5)")).toContainText(/^Saw that Fjord Pay \d+ is hiring account executives/);
    await expectAccessible(page);

    // The lead page's panel: the icebreaker, the summary, the score with its reasons, the model.
    const firstLead = await rows.first().locator("[data-lead-link]").getAttribute("href");
    await page.goto(`/leads/${/lead=([0-9a-f-]{36})/.exec(firstLead!)![1]}`);
    const panel = page.getByRole("region", { name: "Enrichment" });
    await expect(panel.getByTestId("ai-fit-score")).toHaveText("84/100");
    await expect(panel.getByTestId("ai-icebreaker")).toContainText("is hiring account executives in Berlin");
    await expect(panel).toContainText("Title matches the target Head of Sales");
    await expect(panel).toContainText("Written by gpt-4o-mini on");
    await expectAccessible(page);

    // {{ icebreaker }} in a campaign: the preview shows each lead's own line.
    await page.goto(`/campaigns/${campaign!.id}`, { timeout: 240_000 });
    const preview = page.getByRole("region", { name: "Preview" });
    const lead = preview.getByLabel("Lead", { exact: true });
    await expect(lead.locator("option")).toHaveCount(20, { timeout: 120_000 });
    await lead.selectOption({ label: `Ada00 Lovelace-${tag} — ada-0-${tag}@lead.test` });
    await expect(preview.locator("pre")).toContainText("Saw that Fjord Pay 0 is hiring account executives in Berlin, Ada00");
  } finally {
    await sql`delete from public.campaigns where id = ${campaign!.id}`;
    await sql`delete from public.sending_identities where id = ${identity!.id}`;
    await sql`delete from public.leads where workspace_id = ${ws} and ${tag} = any(tags)`;
    await sql`delete from public.companies where workspace_id = ${ws} and domain like ${`%-${tag}.example`}`;
    await sql.end();
  }
});
