import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, unique, HOME_URL } from "./helpers";

const REP = "rep@acme.test";

/** helpers' logIn, with room for next dev's first compile of /leads on a machine shared by several runs. */
async function logIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(HOME_URL, { timeout: 180_000 });
}

const saveStatus = (page: Page) => page.getByTestId("save-status");
const saved = (page: Page) => expect(saveStatus(page)).toHaveText("All changes saved", { timeout: 30_000 });

test("a rep starts a campaign from the lead table's filter, writes two steps with an A/B subject, and the autosaved draft survives a reload", async ({
  page,
}) => {
  test.slow(); // next dev compiles /leads, /campaigns/new and the campaign page on first use.
  await logIn(page, REP);
  await page.goto("/leads?status=new");
  await page.getByRole("link", { name: "Use these filters for a campaign" }).click();
  await expect(page).toHaveURL(/\/campaigns\/new\?filter=status%3Dnew/, { timeout: 60_000 });
  await expect(page.getByLabel("Audience")).toHaveValue("filter");
  await expectAccessible(page);

  const name = `Relance « cafés » d'Amélie — ${unique()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("audience-label")).toHaveText("Leads matching a filter");

  // Step 1: a template error is shown at its line and column while typing, and goes once fixed.
  await page.getByRole("button", { name: "Add a step" }).click();
  const step1 = page.getByRole("region", { name: "Step 1" });
  await step1.getByLabel("Subject").fill('Un café, {{ first_name | default: "l\'équipe" }} ?');
  await step1.getByLabel("Body").fill("Bonjour {{ frist_name }},\n\nUn café « rapide » à Lyon ?");
  await expect(step1.getByText(/Line 1, column \d+: Unknown variable "frist_name"/)).toBeVisible();
  await step1.getByLabel("Body").fill('Bonjour {{ first_name | default: "vous" }},\n\nUn café « rapide » à Lyon ?');
  await expect(step1.getByText(/Unknown variable/)).toHaveCount(0);

  // An A/B subject, split 50/50.
  await step1.getByRole("button", { name: "Add an A/B variant" }).click();
  await expect(step1.getByRole("button", { name: "Variant B", exact: true })).toHaveAttribute("aria-pressed", "true");
  await step1.getByLabel("Subject (variant B)").fill('Une question pour {{ company | default: "vous" }}');
  await expect(step1.getByLabel("Share of variant A, in percent")).toHaveValue("50");
  await expect(step1.getByLabel("Share of variant B, in percent")).toHaveValue("50");

  // Step 2, three business days later by default.
  await page.getByRole("button", { name: "Add a step" }).click();
  const step2 = page.getByRole("region", { name: "Step 2" });
  await expect(step2.getByLabel("Days", { exact: true })).toHaveValue("3");
  await expect(step2.getByLabel("Business days only (Monday to Friday)")).toBeChecked();
  await step2.getByLabel("Body").fill("Je me permets de relancer : qu'en pensez-vous ?");
  await page.getByLabel("Stop on reply").uncheck();
  await saved(page);
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await expect(page.getByLabel("Stop on reply")).not.toBeChecked();
  const again = page.getByRole("region", { name: "Step 1" });
  await expect(again.getByLabel("Subject (variant A)")).toHaveValue('Un café, {{ first_name | default: "l\'équipe" }} ?');
  await again.getByRole("button", { name: "Variant B", exact: true }).click();
  await expect(again.getByLabel("Subject (variant B)")).toHaveValue('Une question pour {{ company | default: "vous" }}');
  await expect(page.getByRole("region", { name: "Step 2" }).getByLabel("Body")).toHaveValue(
    "Je me permets de relancer : qu'en pensez-vous ?",
  );

  // The list shows it under the rep's drafts.
  await page.goto("/campaigns?status=draft&owner=me");
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Draft");
  await expect(row).toContainText("Leads matching a filter");
  await expect(row.getByRole("cell").nth(8)).toHaveText("2"); // Steps
  await expectAccessible(page);
});

test("pre-flight's capacity line names exactly what the draft still lacks, and gives way to the estimate", async ({ page }) => {
  test.slow();
  await logIn(page, REP);
  await page.goto("/leads?status=new");
  await page.getByRole("link", { name: "Use these filters for a campaign" }).click();
  await expect(page).toHaveURL(/\/campaigns\/new\?filter=/, { timeout: 60_000 });
  await page.getByLabel("Name").fill(`Capacité ${unique()}`);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/, { timeout: 60_000 });

  // The page is the server's, refreshed after each save: the line follows what the draft has.
  const checks = page.getByRole("region", { name: "Pre-flight checks" });
  await expect(page.getByTestId("audience-label")).toHaveText("Leads matching a filter");
  await expect(checks.getByText("Needs a sending identity and a step.", { exact: true })).toBeVisible({ timeout: 60_000 });

  await page.getByRole("button", { name: "Add a step" }).click();
  const step1 = page.getByRole("region", { name: "Step 1" });
  await step1.getByLabel("Subject").fill('Bonjour {{ first_name | default: "vous" }}');
  await step1.getByLabel("Body").fill("Un café ?");
  await saved(page);
  await expect(checks.getByText("Needs a sending identity.", { exact: true })).toBeVisible();

  await page.getByRole("checkbox", { name: /Amélie Durand/ }).check();
  await saved(page);
  await expect(checks.getByText(/emails at most, /)).toBeVisible();
  await expect(checks.getByText(/^Needs /)).toHaveCount(0);

  await page.getByRole("button", { name: "Remove the audience" }).click();
  await saved(page);
  await expect(checks.getByText("Needs an audience.", { exact: true })).toBeVisible();
});

test("a save based on an older version is refused with 'changed elsewhere', and a draft is deleted after asking", async ({
  page,
  context,
}) => {
  test.slow();
  await logIn(page, REP);
  await page.goto("/campaigns/new");
  const name = `Deux onglets ${unique()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  const url = page.url();

  const other = await context.newPage();
  await other.goto(url);
  await other.getByLabel("Name").fill(`${name} (autre onglet)`);
  await saved(other);
  await other.close();

  await page.getByLabel("Name").fill(`${name} (premier onglet)`);
  const alert = page.getByRole("alert").filter({ hasText: "changed elsewhere" });
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toContainText("Nothing was saved");
  await expectAccessible(page);
  await alert.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByLabel("Name")).toHaveValue(`${name} (autre onglet)`);

  // The reloaded page may still be hydrating: click until the confirmation opens.
  const confirm = page.getByRole("alertdialog");
  await expect(async () => {
    await page.getByRole("button", { name: "Delete draft" }).click();
    await expect(confirm).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expectAccessible(page);
  await confirm.getByRole("button", { name: "Delete draft" }).click();
  await expect(page).toHaveURL(/\/campaigns$/, { timeout: 60_000 });
  await expect(page.getByRole("link", { name: `${name} (autre onglet)` })).toHaveCount(0);
});
