import { expect, test } from "@playwright/test";
import { ACME_ADMIN, logIn, mainNav } from "./helpers";

test("a rep signs in with an emailed link, which works once", async ({ page, browser }) => {
  const rep = await browser.newPage();
  await rep.goto("/login");
  await rep.getByRole("tab", { name: "Email me a link" }).click();
  await rep.getByLabel("Work email").fill("rep@acme.test");
  await rep.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(rep.getByRole("status")).toContainText("a sign-in link is on its way");

  // Local mode: the email is in the Dev outbox, which the workspace's admin can read.
  await logIn(page, ACME_ADMIN);
  await page.goto("/settings/outbox");
  await page
    .getByRole("link", { name: /sign-in link.*to rep@acme\.test/ })
    .first()
    .click();
  const link = await page.getByTestId("outbox-link").filter({ hasText: "/auth/confirm" }).first().getAttribute("href");
  expect(link).toContain("type=magiclink");

  await rep.goto(link!);
  await expect(rep).toHaveURL(/\/leads$/);
  await expect(rep.getByRole("button", { name: "User menu" })).toContainText("rep@acme.test");
  await expect(mainNav(rep).getByRole("link", { name: "Imports" })).toBeVisible();

  const other = await browser.newPage();
  await other.goto(link!);
  await expect(other).toHaveURL(/\/login\?error=link_invalid/);
  await expect(other.getByRole("alert").filter({ hasText: "invalid, expired or already used" })).toBeVisible();
});
