import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, GLOBEX_ADMIN, logIn, mainNav } from "./helpers";
import { e2eDatabase } from "./mail";

test("the production build serves the app: a seeded admin signs in", async ({ page }) => {
  const health = await page.request.get("/api/health");
  expect(health.status()).toBe(200);
  await logIn(page, ACME_ADMIN);
  await expect(page.getByTestId("current-workspace")).toHaveText("Acme Outbound");
  await expect(mainNav(page).getByRole("link", { name: "Settings" })).toBeVisible();
  await expectAccessible(page);
  // The admin's health view names the email mode honestly: a demo outbox, not a mail catcher.
  expect((await (await page.request.get("/api/health")).json()).services.email).toBe("demo-outbox");
});

// In the production build too: a loading boundary above a record page would stream its 200
// before the page's notFound() runs, so another workspace's record must answer a real 404.
test("another workspace's lead and company answer 404 in the production build", async ({ page }, info) => {
  const sql = e2eDatabase(info);
  const [acme] = await sql<{ lead: string; company: string }[]>`
    select (select l.id from public.leads l where l.workspace_id = w.id order by l.id limit 1) as lead,
      (select c.id from public.companies c where c.workspace_id = w.id order by c.id limit 1) as company
    from public.workspaces w where w.slug = 'acme-outbound'`;
  await sql.end();

  await logIn(page, GLOBEX_ADMIN);
  for (const path of [`/leads/${acme!.lead}`, `/companies/${acme!.company}`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
  await expectAccessible(page);
});
