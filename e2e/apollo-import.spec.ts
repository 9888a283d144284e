import { expect, test } from "@playwright/test";
import { ACME_ADMIN, ACME_VIEWER, disconnectIfConnected, expectAccessible, logIn, unique } from "./helpers";

/**
 * Import and enrich from Apollo with the app's own sandbox: nothing to connect first says so;
 * then the sandbox, a search, the first 25 matching with the credit estimate shown and confirmed
 * before anything is spent, the import's progress to the end, and the 25 leads in the table.
 */
test("an admin connects the Apollo sandbox, searches, imports and enriches 25 people after seeing the credit estimate", async ({
  page,
  browser,
}) => {
  // The import, then a viewer's sign-in: on a busy machine a dev run compiles each page on first use.
  test.setTimeout(420_000);
  const tag = `apollo-${unique()}`;
  await logIn(page, ACME_ADMIN);
  await disconnectIfConnected(page, "Apollo.io");

  await page.goto("/imports/apollo", { timeout: 120_000 });
  await expect(page.getByRole("heading", { name: "Connect Apollo first" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Connect it in Settings → Integrations" }).click();
  const apollo = page.getByRole("region", { name: "Apollo.io" });
  await apollo.getByRole("button", { name: "Connect the sandbox" }).click();
  await expect(page.getByText("Apollo.io sandbox connected: everything it shows is sample data.")).toBeVisible();

  await page.goto("/imports");
  await page.getByRole("link", { name: "Search Apollo" }).click();
  await expect(page.getByText(/every person shown here is invented sample data/)).toBeVisible();
  const search = page.getByRole("form", { name: "Search Apollo" });
  await search.getByRole("button", { name: "Search" }).click();
  const results = page.getByRole("table");
  await expect(results.locator("tbody tr")).toHaveCount(25, { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: /people match/ })).toContainText("Sample data");
  await expect(page.getByText(/^Page 1 of /)).toBeVisible();
  await expectAccessible(page);

  const form = page.getByRole("form", { name: "Import from Apollo" });
  await form.getByRole("radio", { name: "The first" }).check();
  await form.getByLabel("How many of the first people matching to import").fill("25");
  await form.getByLabel("Tags for the new leads").fill(tag);
  await form.getByRole("button", { name: "Show the cost" }).click();
  const estimate = page.getByRole("region", { name: "Credit estimate" });
  await expect(estimate).toContainText("25 people will be imported.");
  await expect(estimate).toContainText("This import can cost at most 25 Apollo credits");
  await expectAccessible(page);

  await estimate.getByRole("button", { name: "Import and enrich (up to 25 credits)" }).click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "100", { timeout: 180_000 });
  await expect(page.getByTestId("count-inserted").locator("dd")).toHaveText("25");
  await page.reload();
  await expect(page.getByTestId("apollo-enrichment")).toHaveText(
    "Apollo: 25 of 25 people ready: 25 revealed by Apollo, 0 revealed before (no credit); 25 credits spent, as Apollo reported them",
  );
  // The import came from the sandbox: its page says its people are sample data.
  await expect(page.getByText("Sandbox: sample data")).toBeVisible();
  await expect(page.getByRole("note").filter({ hasText: "Sample data:" })).toHaveText(
    "Sample data: every person and company in this import was invented by this app's Apollo sandbox, not read from Apollo.",
  );
  await expectAccessible(page);
  const importId = /\/imports\/([0-9a-f-]{36})$/.exec(page.url())![1]!;

  await page.goto("/imports");
  await expect(page.getByTestId(`import-row-${importId}`)).toContainText("Sandbox: sample data");

  await page.goto(`/leads?tags=${tag}&pageSize=50`);
  const leadRows = page.getByRole("table", { name: "Leads" }).locator("tbody tr");
  await expect(leadRows).toHaveCount(25);
  // Every row says it is sample data beside the lead's name, in full words for a screen reader.
  const marks = leadRows.getByTestId("lead-row-sample");
  await expect(marks).toHaveCount(25);
  await expect(marks.first()).toHaveText(
    "SampleSandbox: sample data. This lead is sample data from the Apollo sandbox, not a real person.",
  );
  await expect(marks.first()).toHaveAttribute("title", /^Sandbox: sample data\. This lead is sample data from the Apollo sandbox/);
  await expectAccessible(page);

  // Each imported lead says it is sample data from the Apollo sandbox.
  const firstLead = await leadRows.nth(0).locator("[data-lead-link]").getAttribute("href");
  await page.goto(`/leads/${/lead=([0-9a-f-]{36})/.exec(firstLead!)![1]}`);
  await expect(page.getByTestId("lead-sample-data")).toContainText("Sandbox: sample data");
  await expect(page.getByTestId("lead-sample-data")).toContainText(
    "This lead is sample data from the Apollo sandbox: invented by this app, not a real person.",
  );
  await expectAccessible(page);

  // The companies the import created are the newest: the list marks them, their page says so.
  await page.goto("/companies?sort=created&dir=desc");
  const companyRows = page.getByRole("table", { name: "Companies" }).locator("tbody tr");
  await expect(companyRows.first().getByTestId("company-row-sample")).toHaveAttribute(
    "title",
    "Sandbox: sample data. This company was invented by one of this app's vendor sandboxes, not read from a vendor.",
  );
  await expectAccessible(page);
  await companyRows.first().getByRole("link").first().click();
  await expect(page.getByRole("note").filter({ hasText: "This company was invented" })).toBeVisible();
  await expectAccessible(page);

  // A viewer, who sees neither imports nor Apollo, reads the same mark in the table.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await logIn(viewer, ACME_VIEWER);
  await viewer.goto(`/leads?tags=${tag}&pageSize=50`);
  const viewerRows = viewer.getByRole("table", { name: "Leads" }).locator("tbody tr");
  await expect(viewerRows).toHaveCount(25);
  await expect(viewerRows.getByTestId("lead-row-sample")).toHaveCount(25);
  await expect(viewerRows.first().getByTestId("lead-row-sample")).toContainText("This lead is sample data from the Apollo sandbox");
  await expectAccessible(viewer);
  await viewerContext.close();

  // Leave the workspace as other specs expect it: Apollo not connected.
  await page.goto("/settings/integrations");
  await apollo.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(apollo.getByText("Not connected")).toBeVisible();
});

test("a viewer is refused the Apollo search page", async ({ page }) => {
  await logIn(page, ACME_VIEWER);
  await page.goto("/imports/apollo", { timeout: 120_000 });
  await expect(page).toHaveURL(/\/forbidden/);
  await expectAccessible(page);
});
