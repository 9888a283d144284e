import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn, mainNav } from "./helpers";

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
