import { expect, test } from "@playwright/test";
import { ACME_VIEWER, DEMO_PASSWORD, expectAccessible, GLOBEX_ADMIN, logIn, mainNav, unique } from "./helpers";
import { e2eDatabase } from "./mail";

/**
 * The companies list and a company's page, on the seeded demo data (300 Acme companies and those
 * the demo's finished import created) plus
 * one company of our own whose leads are known: a rep searches, sorts, pages, opens the
 * company and one of its leads; another workspace never sees it.
 */

const REP = "rep@acme.test";

// The first test of a dev run waits for next dev's first compiles (a minute on a busy 2-core machine).
test.describe.configure({ timeout: 180_000 });

test("a rep finds a company, sees its leads and counts, and opens one of its leads", async ({ page }, info) => {
  const sql = e2eDatabase(info);
  const tag = unique();
  const name = `Ångström Fjäll ${tag}`;
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [company] = await sql<{ id: string }[]>`
    insert into public.companies (workspace_id, name, domain, industry, employee_count, country, city)
    values (${acme!.id}, ${name}, ${`fjall-${tag}.example`}, 'Industrial Automation', 420, 'Sweden', 'Göteborg')
    returning id`;
  await sql`
    insert into public.leads (workspace_id, first_name, last_name, email, linkedin_url, company_id, status, title)
    values
      (${acme!.id}, 'Zoë', 'Dvořák', ${`zoe-${tag}@fjall.example`}, null, ${company!.id}, 'interested', 'Head of Growth'),
      (${acme!.id}, 'Björn', 'Nuñez', ${`bjorn-${tag}@fjall.example`}, null, ${company!.id}, 'interested', 'CTO'),
      (${acme!.id}, '陽菜', '佐藤', null, ${`https://www.linkedin.com/in/hina-sato-${tag}`}, ${company!.id}, 'won', 'CEO')`;
  const [{ companies } = { companies: 0 }] = await sql<{ companies: number }[]>`
    select count(*)::int as companies from public.companies where workspace_id = ${acme!.id}`;
  await sql.end();

  await logIn(page, REP);
  await mainNav(page).getByRole("link", { name: "Companies" }).click();
  await expect(page.getByRole("heading", { name: "Companies", level: 1 })).toBeVisible();
  await expect(page.getByTestId("company-total")).toHaveText(`${companies.toLocaleString("en-US")} companies`);
  await expect(page.getByRole("table", { name: "Companies" }).getByRole("row")).toHaveCount(51);
  await expectAccessible(page);

  // Sorting by lead count, biggest first, then paging forwards and back again.
  await page.getByRole("table", { name: "Companies" }).getByRole("link", { name: "Leads" }).click();
  await expect(page).toHaveURL(/sort=leads&dir=desc/);
  const counts = await page.getByRole("table", { name: "Companies" }).locator("tbody tr td:nth-child(5)").allTextContents();
  const numbers = counts.map((c) => Number(c.replace(/,/g, "")));
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  const firstPage = await page.locator("tbody tr td:first-child a").allTextContents();
  await page.getByRole("navigation", { name: "Company pages" }).getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page.locator("tbody tr td:first-child a").first()).not.toHaveText(firstPage[0]!);
  await page.getByRole("navigation", { name: "Company pages" }).getByRole("link", { name: "Previous" }).click();
  await expect(page.locator("tbody tr td:first-child a")).toHaveText(firstPage);

  // Search by a fragment in another case, accents and all.
  await page.getByRole("searchbox", { name: "Search companies" }).fill(`ÅNGSTRÖM FJÄLL ${tag}`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByTestId("company-total")).toHaveText("1 company");
  await page.getByRole("link", { name }).click();

  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("Industrial Automation · fjall-")).toBeVisible();
  const statusCounts = page.getByTestId("lead-status-counts");
  await expect(statusCounts.getByText("Interested").locator("xpath=../..")).toContainText("2");
  await expect(statusCounts.getByText("Won").locator("xpath=../..")).toContainText("1");
  const leadsTable = page.getByRole("table", { name: "Leads at this company" });
  await expect(leadsTable.getByRole("row")).toHaveCount(4);
  await expect(leadsTable.getByText("LinkedIn only")).toBeVisible();
  await expectAccessible(page);

  await leadsTable.getByRole("link", { name: "Zoë Dvořák" }).click();
  // The lead page's first request in a dev run compiles it: 20 s on a busy 2-core machine.
  await expect(page).toHaveURL(/\/leads\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "Zoë Dvořák", level: 1 })).toBeVisible();
});

test("a malformed link still shows the list with a notice, and another workspace's company is not found", async ({ page }, info) => {
  const sql = e2eDatabase(info);
  const [acmeCompany] = await sql<{ id: string; name: string }[]>`
    select c.id, c.name from public.companies c join public.workspaces w on w.id = c.workspace_id
    where w.slug = 'acme-outbound'
      and not exists (select 1 from public.companies g where g.name = c.name and g.workspace_id <> c.workspace_id)
    order by c.name limit 1`;
  await sql.end();

  await logIn(page, GLOBEX_ADMIN, DEMO_PASSWORD);
  await page.goto("/companies?sort=revenue&pageSize=7&cursor=forged");
  await expect(page.getByRole("status").filter({ hasText: "Ignored a malformed sort, page size" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "That page link is not valid" })).toBeVisible();
  await expect(page.getByTestId("company-total")).toHaveText("45 companies");
  await expectAccessible(page);

  await page.getByRole("searchbox", { name: "Search companies" }).fill(acmeCompany!.name);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: `No companies match “${acmeCompany!.name}”` })).toBeVisible();

  const response = await page.goto(`/companies/${acmeCompany!.id}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.getByText(acmeCompany!.name)).toHaveCount(0);
});

test("a rep corrects a company's details, a wrong count refused on its field; a viewer gets no edit form", async ({
  page,
  browser,
}, info) => {
  const sql = e2eDatabase(info);
  const tag = unique();
  const name = `Fjord Robotik ${tag}`;
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [company] = await sql<{ id: string }[]>`
    insert into public.companies (workspace_id, name, industry) values (${acme!.id}, ${name}, 'Robotics') returning id`;
  await sql.end();
  const companyUrl = `/companies/${company!.id}`;

  await logIn(page, REP);
  await page.goto(companyUrl);
  await page.locator("summary", { hasText: "Edit company" }).click();
  const form = page.getByRole("form", { name: "Edit company" });
  await form.getByLabel("Domain").fill(`https://www.Fjord-${tag}.example/om-oss`);
  await form.getByLabel("Employees").fill("about forty");
  await form.getByRole("button", { name: "Save company" }).click();
  await expect(form.getByText("Employee count is a whole number.")).toBeVisible();
  await expect(form.getByLabel("Domain")).toHaveValue(`https://www.Fjord-${tag}.example/om-oss`);
  await expectAccessible(page);

  await form.getByLabel("Employees").fill("1,250");
  await form.getByRole("button", { name: "Save company" }).click();
  await expect(page.getByText("Company saved.")).toBeVisible();
  // The domain as stored (lower case, no scheme or path), in the page's header and the form.
  await expect(page.getByText(`Robotics · fjord-${tag}.example`)).toBeVisible();
  await expect(form.getByLabel("Domain")).toHaveValue(`fjord-${tag}.example`);
  await expect(form.getByLabel("Employees")).toHaveValue("1250");

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await logIn(viewer, ACME_VIEWER);
  await viewer.goto(companyUrl);
  await expect(viewer.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(viewer.getByText(`Robotics · fjord-${tag}.example`)).toBeVisible();
  await expect(viewer.getByText("Edit company")).toHaveCount(0);
  await viewerContext.close();
});
