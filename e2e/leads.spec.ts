import { expect, test, type Page } from "@playwright/test";
import { ACME_VIEWER, expectAccessible, logIn, unique } from "./helpers";

const REP = "rep@acme.test";

// Whichever test runs first compiles /leads, its menus and the lead panel in a fresh next dev.
test.describe.configure({ timeout: 240_000 });

const leadTable = (page: Page) => page.getByRole("table", { name: "Leads" });
const bodyRows = (page: Page) => leadTable(page).locator("tbody tr");

/** The cells of one column, found by its header's text. */
async function columnTexts(page: Page, header: string): Promise<string[]> {
  const headers = (await leadTable(page).locator("thead th").allTextContents()).map((t) => t.trim());
  const index = headers.indexOf(header);
  expect(index, `column ${header} in ${headers.join("|")}`).toBeGreaterThanOrEqual(0);
  return (
    await leadTable(page)
      .locator(`tbody tr td:nth-child(${index + 1})`)
      .allTextContents()
  ).map((t) => t.trim());
}

/** Keys pressed before the table hydrates go nowhere: wait until "/" reaches the search box. */
async function waitForKeyboard(page: Page) {
  const search = page.getByRole("searchbox", { name: "Search leads" });
  await expect(async () => {
    await page.keyboard.press("/");
    await expect(search).toBeFocused({ timeout: 500 });
  }).toPass();
  await page.keyboard.press("Escape");
  await expect(search).not.toBeFocused();
}

async function firstRowName(page: Page): Promise<string> {
  return (await bodyRows(page).first().locator("[data-lead-link]").textContent())!.trim();
}

test("a rep filters, sorts, searches, saves a view, and the link brings the same view back", async ({ page }) => {
  await logIn(page, REP);
  await page.goto("/leads");
  await expect(bodyRows(page).first()).toBeVisible();
  await expect(page.getByTestId("lead-total")).toHaveText(/^[\d,]+ leads$|^about /);
  await expectAccessible(page);

  // Filter: only contacted leads.
  await page.getByRole("button", { name: /^Filters/ }).click();
  const filters = page.getByRole("dialog", { name: "Filters" });
  await filters.getByLabel("Contacted").check();
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=contacted/);
  await expect(page.getByRole("list", { name: "Applied filters" })).toContainText("Status: Contacted");
  await expect(bodyRows(page).first()).toBeVisible();
  expect(new Set(await columnTexts(page, "Status"))).toEqual(new Set(["Contacted"]));

  // Sort by score, highest first (clicking the header).
  await leadTable(page).getByRole("button", { name: "Score" }).click();
  await expect(page).toHaveURL(/sort=score/);
  await expect(leadTable(page).getByRole("columnheader", { name: "Score" })).toHaveAttribute("aria-sort", "descending");
  const scores = (await columnTexts(page, "Score")).map(Number);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));

  // Search for the top lead's last name: every row matches it somewhere (name, email, company, title).
  const term = (await firstRowName(page)).split(" ").at(-1)!;
  await page.keyboard.press("/");
  await expect(page.getByRole("searchbox", { name: "Search leads" })).toBeFocused();
  await page.keyboard.type(term);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(term).replace(/%20/g, "\\+")}`));
  await expect(bodyRows(page).first()).toBeVisible();
  for (const text of await bodyRows(page).allTextContents()) expect(text.toLowerCase()).toContain(term.toLowerCase());
  const filteredUrl = page.url();
  const firstName = await firstRowName(page);
  const rowCount = await bodyRows(page).count();

  // Save it as a view.
  const viewName = `Contacted by score ${unique()}`;
  await page.getByRole("button", { name: "All leads" }).click();
  await page.getByRole("menuitem", { name: "Save as a new view…" }).click();
  const dialog = page.getByRole("dialog", { name: "Save view" });
  await dialog.getByLabel("Name").fill(viewName);
  await dialog.getByRole("button", { name: "Save view" }).click();
  await expect(page.getByText("View saved.")).toBeVisible();
  await expect(page).toHaveURL(/view=[0-9a-f-]{36}/);
  await expect(page.getByRole("button", { name: viewName })).toBeVisible();
  const viewUrl = page.url();

  // Reload the URL: the same view, sort, filter, search and rows.
  await page.reload();
  await expect(page.getByRole("button", { name: viewName })).toBeVisible();
  await expect(page.getByRole("searchbox", { name: "Search leads" })).toHaveValue(term);
  await expect(leadTable(page).getByRole("columnheader", { name: "Score" })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByRole("list", { name: "Applied filters" })).toContainText("Status: Contacted");
  await expect(bodyRows(page)).toHaveCount(rowCount);
  expect(await firstRowName(page)).toBe(firstName);

  // From a fresh table the views menu brings it back; back and forward walk the history.
  await page.goto("/leads");
  await expect(page.getByRole("list", { name: "Applied filters" })).toHaveCount(0);
  await page.getByRole("button", { name: "All leads" }).click();
  await page.getByRole("menuitem", { name: viewName }).click();
  await expect(page).toHaveURL(viewUrl);
  expect(await firstRowName(page)).toBe(firstName);
  await page.goBack();
  await expect(page).toHaveURL(/\/leads$/);
  await expect(page.getByRole("list", { name: "Applied filters" })).toHaveCount(0);
  await page.goForward();
  await expect(page.getByRole("list", { name: "Applied filters" })).toContainText("Status: Contacted");
  expect(new URL(viewUrl).searchParams.get("q")).toBe(new URL(filteredUrl).searchParams.get("q"));

  // Its owner turns the sort around and saves that into the view.
  await leadTable(page).getByRole("button", { name: "Score" }).click();
  await expect(leadTable(page).getByRole("columnheader", { name: "Score" })).toHaveAttribute("aria-sort", "ascending");
  await page.getByRole("button", { name: `${viewName} (edited)` }).click();
  await page.getByRole("menuitem", { name: `Save changes to “${viewName}”` }).click();
  await expect(page.getByText(`Saved changes to “${viewName}”.`)).toBeVisible();
  await page.goto("/leads");
  await page.getByRole("button", { name: "All leads" }).click();
  await page.getByRole("menuitem", { name: viewName }).click();
  await expect(leadTable(page).getByRole("columnheader", { name: "Score" })).toHaveAttribute("aria-sort", "ascending");
});

test("a malformed link shows what was ignored and still a table; zero rows say what to do", async ({ page }) => {
  await logIn(page, REP);
  await page.goto("/leads?sort=nonsense&scoreMin=500&status=contacted");
  await expect(page.getByRole("status").filter({ hasText: "Ignored a malformed minimum score, sort" })).toBeVisible();
  expect(new Set(await columnTexts(page, "Status"))).toEqual(new Set(["Contacted"]));

  await page.goto(`/leads?q=${unique()}zzz`);
  await expect(page.getByRole("heading", { name: "No leads match these filters" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(bodyRows(page).first()).toBeVisible();
});

test("a rep selects a page, then every lead matching the filter; pages move with first/next/previous", async ({ page }) => {
  await logIn(page, REP);
  await page.goto("/leads?pageSize=25");
  await expect(bodyRows(page)).toHaveCount(25);
  const first = await firstRowName(page);
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(bodyRows(page)).toHaveCount(25);
  expect(await firstRowName(page)).not.toBe(first);
  await page.getByRole("link", { name: "Previous page" }).click();
  await expect.poll(() => firstRowName(page)).toBe(first);

  await page.getByLabel("Select all leads on this page").check();
  const selection = page.getByRole("region", { name: "Selection" });
  await expect(selection).toContainText("25 selected");
  await selection.getByRole("button", { name: /^Select all .* matching this filter$/ }).click();
  await expect(selection).toContainText(/All .* matching this filter selected/);
  await selection.getByRole("button", { name: "Clear selection" }).click();
  await expect(selection).toHaveCount(0);

  // Keyboard: j moves down, x selects the row under the cursor.
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await expect(bodyRows(page).nth(1)).toHaveAttribute("data-active", "true");
  await page.keyboard.press("x");
  await expect(selection).toContainText("1 selected");
  await expect(bodyRows(page).nth(1).getByRole("checkbox")).toBeChecked();
});

test("a viewer sees the table without edit or selection controls", async ({ page }) => {
  await logIn(page, ACME_VIEWER);
  await page.goto("/leads");
  await expect(bodyRows(page).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "New lead" })).toHaveCount(0);
  await expect(page.getByLabel("Select all leads on this page")).toHaveCount(0);
  await expect(leadTable(page).getByRole("checkbox")).toHaveCount(0);
  await expectAccessible(page);
});

test("a rep opens a lead in the side panel from the keyboard and changes its status there", async ({ page }) => {
  await logIn(page, REP);
  await page.goto("/leads?owner=me&status=new");
  await expect(bodyRows(page).first()).toBeVisible();
  const name = await firstRowName(page);

  await waitForKeyboard(page);
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]lead=[0-9a-f-]{36}/);
  const panel = page.getByRole("complementary", { name: "Lead details" });
  await expect(panel.getByRole("heading", { name })).toBeVisible();
  await expect(bodyRows(page).first()).toHaveAttribute("aria-current", "true");
  await expectAccessible(page);

  // Escape closes it and keeps the table where it was; Enter opens it again.
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(page).toHaveURL(/\/leads\?status=new&owner=me$/);
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("heading", { name })).toBeVisible();
  const leadId = new URL(page.url()).searchParams.get("lead")!;
  const rowLink = page.locator(`[data-lead-link][href*="lead=${leadId}"]`);
  await expect(rowLink).toHaveCount(1);

  await panel.getByLabel("Status").selectOption("contacted");
  await expect(page.getByText("Status changed to Contacted.")).toBeVisible();
  await expect(panel.locator('[data-activity-type="status_changed"]').first()).toContainText("moved the status from New to Contacted");
  // The table follows: the lead left the "new" filter, the panel stays on it. Found by its id
  // (demo names repeat among a rep's hundreds of new leads, and LinkedIn-only leads have no email).
  await expect(rowLink).toHaveCount(0);
  await expect(panel.getByRole("heading", { name })).toBeVisible();
  await panel.getByRole("button", { name: "Close lead details" }).click();
  await expect(panel).toHaveCount(0);
});
