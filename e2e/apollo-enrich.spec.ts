import { expect, test } from "@playwright/test";
import { ACME_ADMIN, disconnectIfConnected, expectAccessible, logIn } from "./helpers";

/**
 * Enrich existing leads with Apollo from the leads table, with the app's own sandbox: three
 * selected leads, the most credits shown before anything is spent, "fill empty fields only" by
 * default, the run followed to the end, and the lead page's enrichment panel saying what came
 * from Apollo and when.
 */
test("an admin enriches three leads from the table with the Apollo sandbox and sees what came from Apollo on the lead page", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await logIn(page, ACME_ADMIN);
  await disconnectIfConnected(page, "Apollo.io");
  const apollo = page.getByRole("region", { name: "Apollo.io" });
  await apollo.getByRole("button", { name: "Connect the sandbox" }).click();
  await expect(page.getByText("Apollo.io sandbox connected: everything it shows is sample data.")).toBeVisible();

  await page.goto("/leads?sort=email&dir=desc&pageSize=25", { timeout: 120_000 });
  const rows = page.getByRole("table", { name: "Leads" }).locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  const firstLead = await rows.nth(0).locator("[data-lead-link]").getAttribute("href");
  for (let i = 0; i < 3; i++) await rows.nth(i).getByRole("checkbox").check();
  const bar = page.getByRole("region", { name: "Selection" });
  await bar.getByRole("button", { name: "Enrich with Apollo" }).click();

  const dialog = page.getByRole("dialog", { name: "Enrich 3 leads with Apollo" });
  await expect(dialog.getByTestId("apollo-enrich-credits")).toHaveText(/^This can cost up to [0-3] Apollo credits?\.$/);
  await expect(dialog.getByText("Apollo sandbox: sample data and sample credits.")).toBeVisible();
  await expect(dialog.getByRole("radio", { name: "Fill empty fields only" })).toBeChecked();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: /^Enrich/ }).click();
  await expect(page.getByText(/^Enriched with Apollo: \d+ leads? updated/)).toBeVisible({ timeout: 120_000 });

  await page.goto(`/leads/${/lead=([0-9a-f-]{36})/.exec(firstLead!)![1]}`);
  const panel = page.getByRole("region", { name: "Enrichment" });
  await expect(panel.getByTestId("apollo-enrichment")).toContainText(
    /From Apollo, .* · fill empty fields only · (updated the lead|changed nothing|found nobody in Apollo)/,
  );
  await expect(panel.getByTestId("apollo-enrichment")).toContainText(
    "Sandbox: sample data Invented by this app's Apollo sandbox, not read from Apollo.",
  );
  await expectAccessible(page);

  // Settings → Integrations counts the sample credits; then leave Apollo disconnected, as other specs expect.
  await page.goto("/settings/integrations");
  await expect(page.getByTestId("apollo-credits-this-month")).toContainText("spent by this app (sample credits)");
  await expect(apollo).toContainText("Last successful call");
  await apollo.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(apollo.getByText("Not connected")).toBeVisible();
});
