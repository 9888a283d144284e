import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, unique, HOME_URL } from "./helpers";

const ADMIN = "admin@acme.test";
const REP = "rep@acme.test";

// The whole flow of issue 12 crosses a dozen pages that next dev compiles on first use.
test.describe.configure({ timeout: 480_000 });

async function logIn(page: Page, email: string) {
  await page.goto("/login", { timeout: 180_000 });
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(HOME_URL, { timeout: 180_000 });
}

const saved = (page: Page) => expect(page.getByTestId("save-status")).toHaveText("All changes saved", { timeout: 60_000 });
/** The page header, where the campaign's (or the review's) status badge is. */
const header = (page: Page) => page.locator("header", { has: page.getByRole("heading", { level: 1 }) });
const expectStatus = (page: Page, label: string) => expect(header(page).getByText(label, { exact: true })).toBeVisible({ timeout: 60_000 });

test("a rep builds a two-step A/B campaign for a saved view, fixes a pre-flight warning with a fallback and submits; the admin opens the notification, reviews rendered samples and approves; the rep sees it approved, edits a step, and it is back in draft with the change shown", async ({
  page,
  browser,
}) => {
  // The rep: a lead of theirs without a first name, then a draft for their saved view "My open leads".
  await logIn(page, REP);
  await page.goto("/leads/new", { timeout: 120_000 });
  await page.getByLabel("Last name").fill(`Nameless ${unique()}`);
  await page.getByLabel("Email").fill(`nameless-${unique()}@example.test`);
  await page.getByRole("button", { name: "Add lead" }).click();
  await expect(page).toHaveURL(/\/leads\/[0-9a-f-]{36}$/, { timeout: 120_000 });
  await page.goto("/campaigns/new", { timeout: 120_000 });
  const name = `Spring coffee ${unique()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Audience").selectOption({ label: "Saved view: My open leads" });
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/, { timeout: 120_000 });
  const campaignUrl = page.url();
  await expect(page.getByTestId("audience-label")).toContainText("My open leads");
  await expectAccessible(page);

  await page.getByRole("checkbox", { name: /Bruno Sánchez/ }).check();
  await page.getByRole("button", { name: "Add a step" }).click();
  const step1 = page.getByRole("region", { name: "Step 1" });
  // No fallback for the first name: pre-flight warns that leads without one will be skipped.
  await step1.getByLabel("Subject").fill("A coffee, {{ first_name }}?");
  await step1.getByLabel("Body").fill('Hi {{ first_name | default: "there" }},\n\nA quick coffee next week?');
  await step1.getByRole("button", { name: "Add an A/B variant" }).click();
  await step1.getByLabel("Subject (variant B)").fill('A question for {{ company | default: "your team" }}');
  await page.getByRole("button", { name: "Add a step" }).click();
  const step2 = page.getByRole("region", { name: "Step 2" });
  await step2.getByLabel("Subject").fill("Re: a coffee next week");
  await step2.getByLabel("Body").fill('Hi {{ first_name | default: "there" }},\n\nFollowing up on my note.');
  await saved(page);

  const preflight = page.getByRole("region", { name: "Pre-flight checks" });
  await expect(preflight).toContainText("{{ first_name }} is empty for", { timeout: 60_000 });
  await expectAccessible(page);
  await step1.getByRole("button", { name: "Variant A" }).click();
  await step1.getByLabel("Subject (variant A)").fill('A coffee, {{ first_name | default: "friend" }}?');
  await saved(page);
  await expect(preflight).not.toContainText("{{ first_name }} is empty for", { timeout: 60_000 });
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await expect(page.getByText("Submitted: the admins are notified.")).toBeVisible({ timeout: 60_000 });
  await expectStatus(page, "Pending approval");

  // The admin: the notification leads to the review, with samples rendered on real leads.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await logIn(admin, ADMIN);
  await admin.getByRole("button", { name: /^Notifications, \d+ unread$/ }).click();
  await admin.getByRole("link", { name: `"${name}" is waiting for your approval` }).click();
  await expect(admin.getByRole("heading", { level: 1, name: `Review: ${name}` })).toBeVisible({ timeout: 120_000 });
  const samples = admin.getByRole("region", { name: "Rendered samples" });
  await expect(samples.getByTestId("sample-subject")).toHaveText(/^A coffee, .+\?$/);
  await samples.getByRole("group", { name: "Email" }).getByRole("button", { name: "Step 1 · B (50%)" }).click();
  await expect(samples.getByTestId("sample-subject")).toHaveText(/^A question for .+$/);
  await expect(admin.getByRole("region", { name: "Pre-flight checks" })).not.toContainText("{{ first_name }} is empty for");
  await expectAccessible(admin);
  await admin.getByRole("button", { name: "Approve this content" }).click();
  await expect(admin.getByText("Campaign approved.")).toBeVisible({ timeout: 60_000 });
  await expectStatus(admin, "Approved");
  // The review says where to go next: the campaign's page, where it is launched.
  await expect(admin.getByRole("link", { name: "Open the campaign to launch it" })).toHaveAttribute("href", new URL(campaignUrl).pathname);
  await expectAccessible(admin);
  await adminContext.close();

  // The rep sees it approved, edits a step, and it is back in draft with the change named.
  await page.goto(campaignUrl);
  await expectStatus(page, "Approved");
  await expect(page.getByRole("region", { name: "Changes since approval" })).toContainText("Nothing has changed since");
  await page.getByRole("button", { name: "Edit anyway" }).click();
  await page.getByRole("region", { name: "Step 2" }).getByLabel("Body").fill('Hi {{ first_name | default: "there" }},\n\nOne last note.');
  await saved(page);
  await expectStatus(page, "Draft");
  await expect(page.getByRole("region", { name: "Changes since approval" })).toContainText("Step 2 body changed");
  await expectAccessible(page);
});
