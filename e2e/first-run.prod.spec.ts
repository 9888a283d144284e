import { expect, test, type Page } from "@playwright/test";
import { createDataDir, startApp, type AppDataDir, type AppProcess } from "./app-process";
import { DEMO_PASSWORD, expectAccessible, unique, HOME_URL } from "./helpers";

/**
 * The production start sequence itself (`npm start` on a fresh data directory, stopped and
 * started again), not the shared production server: what a start seeds, and what a restart
 * re-creates, is the subject here.
 */
test.describe.configure({ mode: "serial", timeout: 240_000 });

async function userEmails(app: AppProcess): Promise<string[]> {
  const rows = await app.sql<{ email: string }[]>`select email from auth.users order by email`;
  return rows.map((r) => r.email);
}

async function fillSetup(page: Page, { workspace, email, password }: { workspace: string; email: string; password: string }) {
  await page.getByLabel("Workspace name").fill(workspace);
  await page.getByLabel("Your name").fill("Olga Operator");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill(password);
}

test.describe("a fresh production install", () => {
  let data: AppDataDir;
  let app: AppProcess;
  const admin = { email: `owner-${unique()}@example.com`, password: "first-admin-pass-1" };

  test.beforeAll(async () => {
    data = await createDataDir();
    app = await startApp(data);
  });
  test.afterAll(async () => {
    await app?.stop();
    await data?.remove();
  });

  test("creates no demo user, and its banner and login page point to the first-run setup", async ({ page }) => {
    expect(await userEmails(app)).toEqual([]);
    expect(app.output()).not.toContain("Demo logins");
    expect(app.output()).toContain(`${app.url}/setup`);
    expect(app.output()).toContain("npm run setup --");

    await page.goto(`${app.url}/login`);
    await expect(page).toHaveURL(`${app.url}/setup`);
    await expect(page.getByRole("heading", { name: "Set up Lead Intelligence Panel" })).toBeVisible();
    await expectAccessible(page);
  });

  test("sets up the first workspace and admin once, even when two people submit at the same moment", async ({ browser }) => {
    await using first = await browser.newContext();
    await using second = await browser.newContext();
    const [a, b] = [await first.newPage(), await second.newPage()];
    for (const page of [a, b]) await page.goto(`${app.url}/setup`);

    // Validation speaks before anything is created.
    await fillSetup(a, { workspace: "", email: "not-an-email", password: "short" });
    await a.getByRole("button", { name: "Create workspace and admin" }).click();
    await expect(a.getByText("Name the workspace.")).toBeVisible();
    await expect(a.getByText("Enter a valid email address")).toBeVisible();
    await expect(a.getByText("Use at least 8 characters.").first()).toBeVisible();
    expect(await userEmails(app)).toEqual([]);

    await fillSetup(a, { workspace: "Northwind Sales", ...admin });
    await fillSetup(b, { workspace: "Intruder Inc", email: `intruder-${unique()}@example.com`, password: "intruder-pass-1" });
    await Promise.all([
      a.getByRole("button", { name: "Create workspace and admin" }).click(),
      b.getByRole("button", { name: "Create workspace and admin" }).click(),
    ]);

    const landed = async (page: Page) => {
      await expect(
        page.getByTestId("current-workspace").or(page.getByRole("alert").filter({ hasText: /set up|being completed/ })),
      ).toBeVisible();
      return page.getByTestId("current-workspace").isVisible();
    };
    const outcomes = [await landed(a), await landed(b)];
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const emails = await userEmails(app);
    expect(emails).toHaveLength(1);
    const [workspaces] = await app.sql<{ n: number }[]>`select count(*)::int as n from public.workspaces`;
    expect(workspaces!.n).toBe(1);

    // Whoever won, the page is gone now.
    await using third = await browser.newContext();
    const c = await third.newPage();
    await c.goto(`${app.url}/setup`);
    await expect(c).toHaveURL(/\/login$/);

    // For the tests below the winner must be the admin above.
    if (emails[0] !== admin.email) {
      admin.email = emails[0]!;
      admin.password = "intruder-pass-1";
    }
  });

  test("the admin starts a second workspace from the switcher and becomes its admin", async ({ page }) => {
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Work email").fill(admin.email);
    await page.getByLabel("Password", { exact: true }).fill(admin.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(HOME_URL);

    await page.getByRole("button", { name: "Switch workspace" }).click();
    await page.getByRole("menuitem", { name: "New workspace" }).click();
    const dialog = page.getByRole("dialog", { name: "New workspace" });
    await dialog.getByRole("button", { name: "Create workspace" }).click();
    await expect(dialog.getByText("Name the workspace.")).toBeVisible();
    await dialog.getByLabel("Workspace name").fill("Northwind Partners");
    await dialog.getByRole("button", { name: "Create workspace" }).click();
    await expect(page.getByTestId("current-workspace")).toHaveText("Northwind Partners");
    await expect(page.getByRole("button", { name: "Switch workspace" })).toContainText("Admin");

    // Back to the first one from the keyboard: the switcher keeps the focus while it switches.
    const switcher = page.getByRole("button", { name: "Switch workspace" });
    await switcher.focus();
    await page.keyboard.press("Enter");
    const first = page.getByRole("menuitem").filter({ hasNotText: /Northwind Partners|New workspace/ });
    const firstName = (await first.textContent())!.trim();
    await first.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("current-workspace")).toHaveText(firstName);
    await expect(switcher).toBeFocused();
  });

  test("a tab still showing one workspace after a switch in another tab changes nothing in either", async ({ browser }) => {
    const context = await browser.newContext();
    try {
      const stale = await context.newPage();
      await stale.goto(`${app.url}/login`);
      await stale.getByLabel("Work email").fill(admin.email);
      await stale.getByLabel("Password", { exact: true }).fill(admin.password);
      await stale.getByRole("button", { name: "Log in" }).click();
      await expect(stale).toHaveURL(HOME_URL);
      await stale.goto(`${app.url}/settings/suppression`);
      // This tab works in the first workspace (a new browser starts in the first by name).
      await stale.getByRole("button", { name: "Switch workspace" }).click();
      const firstItem = stale.getByRole("menuitem").filter({ hasNotText: /Northwind Partners|New workspace/ });
      const shown = (await firstItem.textContent())!.trim();
      await firstItem.click();
      await expect(stale.getByTestId("current-workspace")).toHaveText(shown);

      // The other tab (same browser, same cookies) switches to Northwind.
      const other = await context.newPage();
      await other.goto(`${app.url}/settings/suppression`);
      await other.getByRole("button", { name: "Switch workspace" }).click();
      await other.getByRole("menuitem", { name: /Northwind Partners/ }).click();
      await expect(other.getByTestId("current-workspace")).toHaveText("Northwind Partners");

      const address = `two-tabs-${unique()}@example.com`;
      const add = stale.getByRole("form", { name: "Add to the suppression list" });
      await add.getByLabel("Email address or domain").fill(address);
      await add.getByRole("button", { name: "Add" }).click();
      await expect(add.getByText(`This page shows ${shown}, but you have switched to Northwind Partners`)).toBeVisible();
      expect(await app.sql`select 1 from public.suppressions where value = ${address}`).toHaveLength(0);

      // Reloaded, the tab shows Northwind, and the same address goes on Northwind's list.
      await stale.reload();
      await expect(stale.getByTestId("current-workspace")).toHaveText("Northwind Partners");
      await add.getByLabel("Email address or domain").fill(address);
      await add.getByRole("button", { name: "Add" }).click();
      await expect(stale.getByText(`${address} will not be emailed.`)).toBeVisible();
      const rows = await app.sql<
        { name: string }[]
      >`select w.name from public.suppressions s join public.workspaces w on w.id = s.workspace_id
        where s.value = ${address}`;
      expect(rows.map((r) => r.name)).toEqual(["Northwind Partners"]);

      // A notification email's link names its workspace: opened now, it switches back to it.
      const [first] = await app.sql<{ id: string }[]>`select id from public.workspaces where name = ${shown}`;
      await stale.goto(`${app.url}/settings/suppression?workspace=${first!.id}`);
      await expect(stale.getByTestId("current-workspace")).toHaveText(shown);
      expect(new URL(stale.url()).search).toBe("");
    } finally {
      await context.close();
    }
  });

  test("after a restart the setup stays closed and still no demo user exists", async ({ page }) => {
    await app.stop();
    app = await startApp(data);
    expect(await userEmails(app)).toEqual([admin.email]);
    expect(app.output()).not.toContain(`${app.url}/setup`);
    await page.goto(`${app.url}/setup`);
    await expect(page).toHaveURL(/\/login$/);
  });
});

test.describe("a demo deployment (SEED_DEMO_DATA=true)", () => {
  let data: AppDataDir;
  let app: AppProcess;

  test.beforeAll(async () => {
    data = await createDataDir();
    app = await startApp(data, { SEED_DEMO_DATA: "true" });
  });
  test.afterAll(async () => {
    await app?.stop();
    await data?.remove();
  });

  test("seeds once: a demo user the operator deleted stays deleted after a restart", async ({ page }) => {
    expect(await userEmails(app)).toContain("rep@acme.test");
    expect(app.output()).toContain("Demo logins");
    await app.sql`delete from auth.users where email = 'rep@acme.test'`;
    await app.sql`delete from public.workspace_members where user_id = (select id from auth.users where email = 'viewer@acme.test')`;

    await app.stop();
    app = await startApp(data, { SEED_DEMO_DATA: "true" });
    expect(await userEmails(app)).not.toContain("rep@acme.test");
    const [viewer] = await app.sql<{ n: number }[]>`
      select count(*)::int as n from public.workspace_members m join auth.users u on u.id = m.user_id where u.email = 'viewer@acme.test'`;
    expect(viewer!.n).toBe(0);
    expect(app.output()).toContain("a demo user you deleted stays deleted");

    await page.goto(`${app.url}/login`);
    await page.getByLabel("Work email").fill("rep@acme.test");
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("main").getByText("That email and password do not match an account.")).toBeVisible();
  });
});
