import { expect, test } from "@playwright/test";
import { expectAccessible, GLOBEX_ADMIN, logIn } from "./helpers";

/**
 * The Instantly sandbox end to end, in Globex (instantly-settings.spec.ts connects a real key
 * in Acme): connect it without a key, Sync now (the app's executor runs the same sync against
 * the app's own sandbox route), then the synced campaigns and one campaign's daily-analytics
 * chart and table, every screen labelled as sample data.
 */
test("an admin connects the Instantly sandbox, syncs it, and sees its campaigns and a daily-analytics chart", async ({ page }) => {
  test.setTimeout(240_000);
  await logIn(page, GLOBEX_ADMIN);
  await page.goto("/settings/integrations", { timeout: 120_000 });
  const instantly = page.getByRole("region", { name: "Instantly" });
  await instantly.getByRole("button", { name: "Connect the sandbox" }).click();
  await expect(page.getByText("Instantly sandbox connected: everything it shows is sample data.")).toBeVisible();
  await expect(instantly.getByText("Sandbox: sample data")).toBeVisible();
  await expect(
    instantly.getByText(/every campaign, sending account, lead, reply and number it shows is invented sample data/),
  ).toBeVisible();
  await expectAccessible(page);

  await instantly.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByText("Instantly sync queued: it runs in the background and shows on the Jobs page.")).toBeVisible();

  // The sync runs in the background: the campaigns appear once it has stored them.
  await instantly.getByRole("link", { name: "See the synced Instantly campaigns and their daily analytics" }).click();
  await expect(page.getByRole("heading", { name: "Instantly campaigns", level: 1 })).toBeVisible();
  const campaign = page.getByRole("link", { name: "Q4 SaaS founders: intro" });
  await expect(async () => {
    await page.reload();
    await expect(campaign).toBeVisible({ timeout: 2_000 });
    await expect(
      page
        .getByRole("row", { name: /Q4 SaaS founders: intro/ })
        .getByRole("cell")
        .nth(2),
    ).toHaveText("30", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByRole("note")).toContainText("Sample data");
  await expect(page.getByRole("link", { name: "Agency partners (draft)" })).toBeVisible();
  await expectAccessible(page);

  await campaign.click();
  // The first visit of this page compiles it on next dev.
  await expect(page.getByRole("heading", { name: "Q4 SaaS founders: intro", level: 1 })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole("note")).toContainText("Sample data");
  const chart = page.getByRole("img", { name: /^Daily analytics chart\. 30 days from/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator("svg .recharts-line").first()).toBeVisible();
  const table = page.getByRole("region", { name: "Day by day" }).getByRole("table");
  await expect(table.getByRole("row")).toHaveCount(31);
  await expectAccessible(page);

  // Reached from the campaigns list too.
  await page.goto("/campaigns");
  await page.getByRole("link", { name: "Instantly campaigns" }).click();
  await expect(page).toHaveURL(/\/campaigns\/instantly$/);
});
