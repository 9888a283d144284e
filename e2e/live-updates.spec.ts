import { expect, test, type Page } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn, unique } from "./helpers";

const MANAGER = "manager@acme.test";
const REP_NAME = "Bruno Sánchez";

// Each page is compiled on first visit in next dev: on a busy 2-core machine that can take a minute.
test.describe.configure({ timeout: 180_000 });

const leadTable = (page: Page) => page.getByRole("table", { name: "Leads" });
const bodyRows = (page: Page) => leadTable(page).locator("tbody tr");

test("a lead assigned in one session shows its new owner in another session's open table, without a reload", async ({ browser }) => {
  const adminContext = await browser.newContext();
  const managerContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const manager = await managerContext.newPage();
  await logIn(admin, ACME_ADMIN);
  await logIn(manager, MANAGER);

  // The admin adds a lead: it is theirs until they give it away.
  const lastName = `Live-${unique()}`;
  await admin.goto("/leads/new");
  await admin.getByLabel("First name").fill("Lina");
  await admin.getByLabel("Last name").fill(lastName);
  await admin.getByLabel("Email").fill(`lina.${lastName.toLowerCase()}@example.test`);
  await admin.getByRole("button", { name: "Add lead" }).click();
  await expect(admin).toHaveURL(/\/leads\/[0-9a-f-]{36}$/, { timeout: 60_000 });

  // The manager's table: newest first, a long page scrolled down, two rows selected.
  await manager.goto("/leads?sort=created&dir=desc&pageSize=100&columns=name,owner,created");
  const row = bodyRows(manager).filter({ hasText: lastName });
  await expect(row).toHaveCount(1, { timeout: 60_000 });
  await expect(row).not.toContainText(REP_NAME);
  await bodyRows(manager).nth(1).getByRole("checkbox").check();
  await bodyRows(manager).nth(2).getByRole("checkbox").check();
  const scroller = manager.locator('div:has(> table[aria-label="Leads"])');
  await scroller.evaluate((element) => (element.scrollTop = 600));
  const scrolled = await scroller.evaluate((element) => element.scrollTop);
  expect(scrolled).toBeGreaterThan(0);
  // Gone after a reload: proves the page was never loaded again.
  await manager.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));

  await admin.getByLabel("Owner").selectOption({ label: REP_NAME });
  await expect(admin.getByText(`Lead assigned to ${REP_NAME}.`)).toBeVisible({ timeout: 30_000 });

  // Within a second on an idle machine (app/api/events/events.integration.test.ts times it);
  // the wait allows for next dev on a loaded one.
  await expect(row).toContainText(REP_NAME, { timeout: 20_000 });
  expect(await manager.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expect(bodyRows(manager).nth(1).getByRole("checkbox")).toBeChecked();
  await expect(bodyRows(manager).nth(2).getByRole("checkbox")).toBeChecked();
  expect(await scroller.evaluate((element) => element.scrollTop)).toBe(scrolled);
  await expectAccessible(manager);

  // The admin's Jobs page says how it follows changes.
  await admin.goto("/jobs");
  await expect(admin.getByTestId("live-status")).toContainText("server-sent events fed by PostgreSQL LISTEN/NOTIFY, connected", {
    timeout: 60_000,
  });
  await expectAccessible(admin);

  await adminContext.close();
  await managerContext.close();
});

test("the event stream answers 401 and streams nothing without a session", async ({ request }) => {
  const response = await request.get("/api/events", { headers: { accept: "text/event-stream" } });
  expect(response.status()).toBe(401);
  expect(response.headers()["content-type"]).toContain("application/json");
  expect(await response.json()).toEqual({ message: expect.stringContaining("Log in again") });
});
