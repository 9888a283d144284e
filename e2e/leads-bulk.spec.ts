import { readFile } from "node:fs/promises";
import { expect, test, type Page, type Route } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { expectAccessible, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

const MANAGER = "manager@acme.test";
const MANAGER_NAME = "Jiří Dvořák";
const REP = "rep@acme.test";

const leadTable = (page: Page) => page.getByRole("table", { name: "Leads" });
const bodyRows = (page: Page) => leadTable(page).locator("tbody tr");
const selectionBar = (page: Page) => page.getByRole("region", { name: "Selection" });
const rowName = async (page: Page, index: number) => (await bodyRows(page).nth(index).locator("[data-lead-link]").textContent())!.trim();

async function selectRows(page: Page, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    names.push(await rowName(page, i));
    await bodyRows(page).nth(i).getByRole("checkbox").check();
  }
  await expect(selectionBar(page)).toContainText(`${count} selected`);
  return names;
}

test("a manager bulk-assigns three leads, then tags every lead matching a filter after confirming the exact count", async ({ page }) => {
  test.slow(); // The first sign-in of a run compiles /leads in next dev.
  await logIn(page, MANAGER);
  await page.goto("/leads?owner=unassigned&sort=name&dir=asc&pageSize=25");
  await expect(bodyRows(page).first()).toBeVisible();
  const names = await selectRows(page, 3);
  await expectAccessible(page);

  await selectionBar(page).getByRole("button", { name: "Assign" }).click();
  await page.getByRole("menuitem", { name: `${MANAGER_NAME} (me)` }).click();
  await expect(page.getByText(`Assigned 3 leads to ${MANAGER_NAME}.`)).toBeVisible();
  // They left the "unassigned" view and are the manager's most recent activity.
  for (const name of names) await expect(leadTable(page).getByRole("link", { name, exact: true })).toHaveCount(0);
  await page.goto("/leads?owner=me&sort=lastActivity&dir=desc&pageSize=25&columns=name,owner,lastActivity");
  await expect(bodyRows(page).first()).toBeVisible();
  expect(new Set([await rowName(page, 0), await rowName(page, 1), await rowName(page, 2)])).toEqual(new Set(names));
  await expect(bodyRows(page).nth(0)).toContainText(MANAGER_NAME);

  // Every lead of a filter (more than a page): confirmed with the exact count, run as a job with a progress bar.
  const tag = `e2e-${unique()}`;
  await page.goto("/leads?owner=unassigned&pageSize=25");
  await page.getByLabel("Select all leads on this page").check();
  await selectionBar(page)
    .getByRole("button", { name: /^Select all .* matching this filter$/ })
    .click();
  await selectionBar(page).getByRole("button", { name: "Tags" }).click();
  await page.getByLabel("Tags (separate with commas)").fill(tag);
  await page.getByRole("button", { name: "Add tags" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText(new RegExp(`Add ${tag} to [\\d,]+ leads\\?`));
  await expectAccessible(page);
  const count = Number((await confirm.textContent())!.match(/to ([\d,]+) leads/)![1]!.replace(/,/g, ""));
  expect(count).toBeGreaterThan(100);
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("progressbar", { name: "Bulk change progress" })).toBeVisible();
  await expect(page.getByText(`Added ${tag} to ${count.toLocaleString("en")} leads.`)).toBeVisible({ timeout: 30_000 });
  await page.goto(`/leads?tags=${tag}&pageSize=25`);
  await expect(page.getByTestId("lead-total")).toHaveText(`${count.toLocaleString("en")} leads`);
});

test("a delete can be undone within 10 seconds, and deleted leads are restored from the Deleted filter", async ({ page }) => {
  await logIn(page, MANAGER);
  await page.goto("/leads?owner=unassigned&sort=name&dir=desc&pageSize=25");
  await expect(bodyRows(page).first()).toBeVisible();
  const names = await selectRows(page, 2);
  await selectionBar(page).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("Deleted 2 leads.")).toBeVisible();
  for (const name of names) await expect(leadTable(page).getByRole("link", { name, exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Restored 2 leads.")).toBeVisible();
  for (const name of names) await expect(leadTable(page).getByRole("link", { name, exact: true })).toHaveCount(1);

  // Deleted without undo: the Deleted filter lists them, and Restore brings them back.
  const [again] = await selectRows(page, 1);
  await selectionBar(page).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("Deleted 1 lead.")).toBeVisible();
  await page.goto("/leads?deleted=1&sort=name&dir=desc&pageSize=100");
  const row = bodyRows(page).filter({ has: page.getByRole("link", { name: again, exact: true }) });
  await row.getByRole("checkbox").check();
  await expect(selectionBar(page).getByRole("button", { name: "Delete" })).toHaveCount(0);
  await selectionBar(page).getByRole("button", { name: "Restore" }).click();
  await expect(page.getByText("Restored 1 lead.")).toBeVisible();
  await page.goto("/leads?owner=unassigned&sort=name&dir=desc&pageSize=25");
  await expect(leadTable(page).getByRole("link", { name: again, exact: true })).toHaveCount(1);
});

test("a rep exports the view and the file holds the view's rows and columns", async ({ page }) => {
  await logIn(page, REP);
  await page.goto("/leads?status=won&sort=name&dir=asc&pageSize=100&columns=name,email,status");
  await expect(bodyRows(page).first()).toBeVisible();
  const total = Number((await page.getByTestId("lead-total").textContent())!.replace(/[^\d]/g, ""));
  const shown = (await leadTable(page).locator("tbody tr [data-lead-link]").allTextContents()).map((t) => t.trim());

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^leads-acme-outbound-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse(bytes, { bom: true }) as string[][];
  expect(rows[0]).toEqual(["Name", "Email", "Email status", "Status"]);
  expect(rows).toHaveLength(total + 1);
  // The table names a lead without a name by its email, as the export does not.
  expect(rows.slice(1, shown.length + 1).map((r) => r[0] || r[1] || "Unnamed lead")).toEqual(shown);
  expect(new Set(rows.slice(1).map((r) => r[3]))).toEqual(new Set(["won"]));
});

test.describe("in a browser set to Tokyo time", () => {
  test.use({ timezoneId: "Asia/Tokyo" });
  test("the export writes dates in the browser's time zone, as the table shows them, and names it", async ({ page }) => {
    await logIn(page, REP);
    await page.goto("/leads?status=won&sort=name&dir=asc&columns=name,created");
    await expect(bodyRows(page).first()).toBeVisible();
    const link = page.getByRole("link", { name: "Export CSV" });
    await expect(link).toHaveAttribute("href", /[?&]tz=Asia%2FTokyo(&|$)/);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const rows = parse(await readFile((await download.path())!), { bom: true }) as string[][];
    expect(rows[0]).toEqual(["Name", "Created (Asia/Tokyo)"]);
  });
});

test("a background bulk change still running when the page is reloaded is followed again until it ends", async ({ page }, info) => {
  // A change the job has not finished: written as the selection bar's start leaves it, with no
  // job behind it, so that the test (not the job's speed) decides when it ends.
  const sql = e2eDatabase(info);
  const tag = `e2e-${unique()}`;
  const [manager] = await sql<{ id: string; workspace_id: string }[]>`
    select u.id, m.workspace_id from auth.users u join public.workspace_members m on m.user_id = u.id
    join public.workspaces w on w.id = m.workspace_id
    where u.email = ${MANAGER} and w.slug = 'acme-outbound'`;
  const [op] = await sql<{ id: string }[]>`
    insert into public.lead_bulk_operations (workspace_id, requested_by, action, params, selection, status, total, processed)
    values (${manager!.workspace_id}, ${manager!.id}, 'add_tags', ${sql.json({ tags: [tag] })}, ${sql.json({ kind: "filter", query: `tags=${tag}` })},
      'running', 1500, 500)
    returning id`;

  await logIn(page, MANAGER);
  // The bar's reads of the change are held: before its first answer, it shows how far the change
  // had got when the page was read, not "Starting…".
  const held: Route[] = [];
  let holding = true;
  await page.route("**/api/leads/bulk-operations/**", (route) => (holding ? void held.push(route) : route.continue()));
  await page.goto("/leads?pageSize=25");
  const underWay = page.getByRole("region", { name: "Bulk changes under way" });
  await expect(underWay).toContainText(`Adding ${tag} to 1,500 leads…`);
  await expect(underWay.getByRole("progressbar", { name: "Bulk change progress" })).toHaveAttribute("aria-valuenow", "500");
  await expect(underWay).toContainText("500 of 1,500");
  await expect.poll(() => held.length).toBeGreaterThan(0);
  holding = false;
  await Promise.all(held.map((route) => route.continue()));
  await expectAccessible(page);

  await sql`update public.lead_bulk_operations set processed = 1500, changed = 1490, skipped = ${sql.json({ unchanged: 10 })},
    status = 'completed', finished_at = now() where id = ${op!.id}`;
  await sql.end();
  await expect(page.getByText(new RegExp(`^Adding ${tag} to 1,500 leads: done, 1,490 leads changed\\. Skipped 10`))).toBeVisible();
  await expect(underWay).toHaveCount(0);
});
