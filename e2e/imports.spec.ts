import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { ACME_ADMIN, compilePagesSignedIn, NO_SUCH_ID, expectAccessible, logIn, mainNav } from "./helpers";

/**
 * The whole import flow in a browser, with the sample Apollo file the Imports page offers:
 * upload, accept the detected mapping and default rules, follow the job to 100 %, read the
 * four counts, download the failed and skipped rows, and find the imported leads in the table.
 * The sample's outcome on a workspace without these people (lib/imports/sample-file.test.ts):
 * 6 inserted, 0 updated, 1 skipped, 3 failed.
 */

const REP = "rep@acme.test";
const SAMPLE = path.resolve(import.meta.dirname, "../public/samples/apollo-contacts-sample.csv");

// The first test of a dev run waits for next dev's first compiles (a minute on a busy 2-core machine).
test.describe.configure({ mode: "serial", timeout: 600_000 });
// Each page of the flow compiles on its first visit: on a loaded 2-core machine that can pass a minute.
test.use({ navigationTimeout: 240_000, actionTimeout: 120_000 });
test.beforeAll(async ({ browser }) => {
  test.setTimeout(600_000);
  // The pages of the flow are compiled before the tests (a signed-out visit would compile none),
  // so a click waits for the page, not for its first compile.
  await compilePagesSignedIn(browser, ACME_ADMIN, [
    "/leads",
    "/imports",
    `/imports/${NO_SUCH_ID}`,
    `/imports/${NO_SUCH_ID}/mapping`,
    `/jobs/${NO_SUCH_ID}`,
  ]);
});

let importUrl = "";

const count = (page: Page, outcome: string) => page.getByTestId(`count-${outcome}`).locator("dd");

test("a rep imports the sample Apollo file and follows it to the last row", async ({ page }) => {
  await logIn(page, REP);
  await page.goto("/imports");
  await expectAccessible(page);

  // The sample offered on the page is the file in the repository.
  const [sample] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download a sample file" }).click()]);
  expect(await readFile((await sample.path())!)).toEqual(await readFile(SAMPLE));

  await page.getByLabel("CSV file to import").setInputFiles(SAMPLE);
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}\/mapping$/, { timeout: 60_000 });
  await expect(page.getByText("Detected: Apollo.io contacts export")).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  importUrl = new URL(page.url()).pathname;

  const bar = page.getByRole("progressbar", { name: "Import progress" });
  await expect(bar).toBeVisible();
  // The page follows the job without a reload.
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 90_000 });
  await expect(page.getByTestId("import-percent")).toHaveText("100 %");
  await expect(page.getByTestId("import-processed")).toHaveText("10 of 10 rows");
  await expect(page.getByText("Completed", { exact: true })).toBeVisible();
  await expect(count(page, "inserted")).toHaveText("6");
  await expect(count(page, "updated")).toHaveText("0");
  await expect(count(page, "skipped")).toHaveText("1");
  await expect(count(page, "failed")).toHaveText("3");
  await expect(page.getByTestId("import-rate")).toHaveText(/rows\/s$/);

  const issues = page.getByRole("region", { name: "Skipped and failed rows" });
  await expect(issues.getByTestId("issue-invalid_email")).toContainText("Email is not a valid address");
  await expect(issues.getByTestId("issue-invalid_email")).toContainText("2");
  await expect(issues.getByTestId("issue-no_identity")).toContainText("No email and no LinkedIn URL");
  await expect(issues.getByTestId("issue-duplicate_in_file")).toContainText("Same lead as an earlier row of this file");
  await expectAccessible(page);

  // The problem rows, in the file's own columns behind a Reason, formulas neutralised.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    issues.getByRole("link", { name: "Download failed and skipped rows" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("apollo-contacts-sample-problem-rows.csv");
  const text = (await readFile((await download.path())!)).toString("utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const [header, ...rows] = parse(text.slice(1), { relax_column_count: true }) as string[][];
  const [sampleHeader] = parse(await readFile(SAMPLE, "utf8"), { to: 1 }) as string[][];
  expect(header).toEqual(["Reason", ...sampleHeader!]);
  expect(rows.map((r) => [r[0]!.replace(/ \(.*$/s, ""), r[1], r[6]])).toEqual([
    ["Failed: Email is not a valid address", "Sam", "sam.lee(at)harbor-labs.example"],
    ["Failed: No email and no LinkedIn URL", "Łukasz", ""],
    ["Skipped: Same lead as an earlier row of this file", "ZOË", " ZOE.ANGSTROM@Nordlys-Analytics.example "],
    ["Failed: Email is not a valid address", "Hélène", "helene.dubois@"],
  ]);
  // Hélène's company was a formula: it comes back as text.
  expect(rows[3]![4]).toBe(`'=HYPERLINK("http://evil.example","Acme")`);

  // The history lists it with its counts.
  await page.goto("/imports");
  const history = page.getByRole("region", { name: "Import history" });
  const entry = history.locator(`a[href="${importUrl}"]`).locator("xpath=ancestor::tr");
  await expect(entry).toContainText("apollo-contacts-sample.csv");
  await expect(entry).toContainText("Completed");
  // Its rules: the default match rule, the rep as owner of the new leads, no tags.
  await expect(entry.locator("td").nth(4)).toHaveText("Existing: skippedOwner: Bruno Sánchez");
  await expect(entry.locator("td").nth(6)).toHaveText("6");
  await expect(entry.locator("td").nth(9)).toHaveText("3");
  // Its name reads on one line at a laptop's width (1366 px), not broken every few letters.
  const name = (await entry.getByRole("link", { name: "apollo-contacts-sample.csv" }).boundingBox())!;
  expect(name.height).toBeLessThan(25);
  await expectAccessible(page);

  // The imported leads are in the table (the demo has people of the same names: search their addresses and company), the duplicate once.
  const leadRows = page.getByRole("table", { name: "Leads" }).locator("tbody tr");
  await page.goto("/leads?q=nordlys-analytics.example");
  await expect(leadRows).toHaveCount(1);
  await expect(leadRows.first()).toContainText("Zoë Ångström");
  await page.goto("/leads?q=cobalt-systems.example");
  await expect(leadRows).toHaveCount(1);
  await expect(leadRows.first()).toContainText("José Núñez");
  await page.goto("/leads?q=Lagos%20Ledger");
  await expect(leadRows.filter({ hasText: "Amara Okafor" })).toHaveCount(1);
  await expectAccessible(page);
});

test("an admin goes from the import to its job run and back", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  await page.goto(importUrl);
  await page.getByRole("link", { name: "Its run on the Jobs page" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "run-lead-import" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Open the import →" }).click();
  await expect(page).toHaveURL(new RegExp(`${importUrl}$`));
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "100");
});

test("an analyst follows the rep's import read-only: its history, progress and problem rows, nothing to start or stop", async ({
  page,
}) => {
  await logIn(page, "analyst@acme.test");
  await mainNav(page).getByRole("link", { name: "Imports" }).click();
  await expect(page).toHaveURL(/\/imports$/);
  await expect(page.getByRole("heading", { name: "Imports", level: 1 })).toBeVisible();
  await expect(page.getByLabel("CSV file to import")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Search Apollo" })).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole("region", { name: "Import history" }).locator(`a[href="${importUrl}"]`).click();
  await expect(page).toHaveURL(new RegExp(`${importUrl}$`));
  await expect(page.getByTestId("import-processed")).toHaveText("10 of 10 rows");
  await expect(count(page, "failed")).toHaveText("3");
  for (const control of ["Pause", "Resume", "Cancel import"]) await expect(page.getByRole("button", { name: control })).toHaveCount(0);
  const issues = page.getByRole("region", { name: "Skipped and failed rows" });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    issues.getByRole("link", { name: "Download failed and skipped rows" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("apollo-contacts-sample-problem-rows.csv");
  await expectAccessible(page);

  // Importing stays with sales reps and up.
  await page.goto("/imports/apollo");
  await expect(page).toHaveURL(/\/forbidden\?need=imports\.run/);
});
