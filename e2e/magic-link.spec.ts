import { expect, test } from "@playwright/test";
import { mainNav, HOME_URL } from "./helpers";
import { linkFromMailCatcher } from "./mail";

test("a rep signs in with an emailed link, which works once", async ({ browser }) => {
  const rep = await browser.newPage();
  await rep.goto("/login");
  await rep.getByRole("tab", { name: "Email me a link" }).click();
  await rep.getByLabel("Work email").fill("rep@acme.test");
  await rep.getByRole("button", { name: "Send sign-in link" }).click();
  await expect(rep.getByRole("status")).toContainText("a sign-in link is on its way");

  // Development: the login page points to the mail catcher, where the email is.
  await expect(rep.getByRole("status").getByRole("link", { name: "mail catcher" })).toHaveAttribute("href", "/dev/mail");
  const link = await linkFromMailCatcher(await browser.newPage(), "rep@acme.test", "/auth/confirm", /sign-in link/);
  expect(link).toContain("type=magiclink");

  await rep.goto(link);
  await expect(rep).toHaveURL(HOME_URL);
  await expect(rep.getByRole("button", { name: "User menu" })).toContainText("rep@acme.test");
  await expect(mainNav(rep).getByRole("link", { name: "Imports" })).toBeVisible();

  const other = await browser.newPage();
  await other.goto(link);
  await expect(other).toHaveURL(/\/login\?error=link_invalid/);
  await expect(other.getByRole("alert").filter({ hasText: "invalid, expired or already used" })).toBeVisible();
});
