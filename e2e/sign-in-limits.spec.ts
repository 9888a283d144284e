import { expect, test } from "@playwright/test";
import { unique } from "./helpers";

test("after ten wrong passwords the login page says when to try again", async ({ page }) => {
  // An address nobody has: it is locked out exactly as an account would be, and no demo login is.
  const email = `locked-${unique()}@acme.test`;
  await page.goto("/login");
  await page.getByLabel("Work email").fill(email);
  for (let attempt = 1; attempt <= 10; attempt++) {
    await page.getByLabel("Password", { exact: true }).fill(`wrong password ${attempt}`);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled();
  }
  await page.getByLabel("Password", { exact: true }).fill("one more guess");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Too many attempts" })).toHaveText("Too many attempts — try again in 15 minutes.");
});

test("a forgotten password gets a reset link, answered alike for any address", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Forgot your password?" }).click();
  await page.getByLabel("Work email").fill(`nobody-${unique()}@acme.test`);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("a password-reset link is on its way");
});
