import { expect, test } from "@playwright/test";
import { ACME_ADMIN, ACME_VIEWER, expectAccessible, logIn, mainNav } from "./helpers";

/**
 * Home: what needs each person's attention in the demo workspace. The admin approves "Hot
 * pipeline check-in" (the seed submits it); the rep sees the reply the demo's first reader
 * sends to one of their leads, and their finished import.
 */
test("an admin's home lists the campaign awaiting approval; a rep's the reply to their lead and their import", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  await logIn(page, ACME_ADMIN);
  await mainNav(page).getByRole("link", { name: "Home" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await expect(page.getByTestId("home-approvals")).toContainText("Hot pipeline check-in");
  await expect(page.getByTestId("home-headline")).toContainText("Emails sent");
  await expectAccessible(page);

  const repContext = await browser.newContext();
  const rep = await repContext.newPage();
  await logIn(rep, "rep@acme.test");
  await rep.goto("/");
  await expect(rep.getByTestId("home-approvals")).toHaveCount(0);
  await expect(rep.getByTestId("home-imports")).toContainText("apollo-webinar-attendees.csv");
  await expect(async () => {
    await rep.reload();
    await expect(rep.getByTestId("home-replies").getByRole("link")).not.toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 240_000, intervals: [5_000] });
  await expectAccessible(rep);
  await repContext.close();
});

test("a viewer's home shows what they may see, without numbers", async ({ page }) => {
  await logIn(page, ACME_VIEWER);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await expect(page.getByTestId("home-headline")).toHaveCount(0);
  await expect(page.getByTestId("home-approvals")).toHaveCount(0);
  // A viewer owns no lead and imports nothing: no panel that would stay empty for ever.
  await expect(page.getByTestId("home-paused")).toBeVisible();
  await expect(page.getByTestId("home-replies")).toHaveCount(0);
  await expect(page.getByTestId("home-imports")).toHaveCount(0);
});
