import { expect, test } from "@playwright/test";
import { expectAccessible, GLOBEX_ADMIN, logIn } from "./helpers";

/**
 * PhantomBuster with the app's own sandbox, then a recurring import: the sample agents labelled
 * as such, a schedule "after each of the agent's runs" whose first run (a background job in the
 * embedded executor) imports the Sales Navigator sample's rows — the same person twice in
 * another case skipped — with a link from the run to its import; then the schedule cancelled.
 */
const SALES_NAV = "Sample · Sales Navigator — Heads of Sales in France";

test.describe.configure({ timeout: 600_000 });
test.use({ navigationTimeout: 240_000, actionTimeout: 120_000 });

test("an admin connects the PhantomBuster sandbox, schedules a recurring import of a sample agent, sees its first run import the new rows, and cancels it", async ({
  page,
}) => {
  await logIn(page, GLOBEX_ADMIN);
  await page.goto("/settings/integrations");
  const section = page.getByRole("region", { name: "PhantomBuster" });
  await section.getByRole("button", { name: "Connect the sandbox" }).click();
  await expect(page.getByText("PhantomBuster sandbox connected: everything it shows is sample data.")).toBeVisible();

  await page.goto("/imports/phantombuster");
  await expect(page.getByText("Sandbox: sample data")).toBeVisible();
  await expect(page.getByText(/these agents, their runs and every person in their results are invented sample data/)).toBeVisible();
  const agents = page.getByRole("table", { name: "PhantomBuster agents" });
  await expect(agents.getByRole("row", { name: /session expired/ })).toContainText("Failed");
  await expect(agents.getByRole("row", { name: /never launched/ })).toContainText("Never run");
  await expect(page.getByText(/^None yet\. Schedule one from an agent above/)).toBeVisible();
  await expectAccessible(page);
  expect(await page.content()).not.toContain("sessionCookie");

  const row = agents.getByRole("row", { name: new RegExp(SALES_NAV) });
  await row.getByRole("button", { name: `Schedule recurring imports of ${SALES_NAV}` }).click();
  await page.getByRole("menuitem", { name: "Import new rows: after each of the agent's runs" }).click();
  await expect(
    page.getByText(`${SALES_NAV} is imported after each of its runs, new rows only. Its first import starts now.`),
  ).toBeVisible();

  const recurring = page.getByRole("region", { name: "Recurring imports" });
  const schedule = recurring.getByRole("row", { name: new RegExp(SALES_NAV) });
  await expect(schedule).toContainText("After each of the agent's runs");
  await expect(row).toContainText("Scheduled");
  // The first run is a background job: it imports the seven rows of the sample result.
  await expect(async () => {
    await page.reload();
    await expect(schedule.getByRole("link", { name: "7 new rows" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 180_000, intervals: [3_000] });
  await expectAccessible(page);

  await schedule.getByRole("link", { name: "7 new rows" }).click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/);
  await expect(page.getByText(`PhantomBuster – ${SALES_NAV} – result.csv (new rows)`).first()).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "100", { timeout: 120_000 });
  await expect(page.getByTestId("count-inserted").locator("dd")).toHaveText("6");
  await expect(page.getByTestId("count-skipped").locator("dd")).toHaveText("1");
  await expectAccessible(page);

  await page.goto("/imports/phantombuster");
  await schedule.getByRole("button", { name: `Cancel the recurring import of ${SALES_NAV}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Stop importing" }).click();
  await expect(page.getByText(`${SALES_NAV} is no longer imported on a schedule.`)).toBeVisible();
  await expect(recurring.getByText(/^None yet\./)).toBeVisible();
});
