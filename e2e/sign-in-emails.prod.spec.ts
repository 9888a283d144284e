import { expect, test } from "@playwright/test";
import { unique } from "./helpers";
import { requestMagicLink } from "./mail";

/**
 * `npm start` with no email provider (the demo outbox never carries sign-in mail): the login
 * page's email flows say so plainly, the same for an address with an account and one without.
 */
const NOT_CONFIGURED = /^Email is not configured on this server/;

for (const account of ["an account", "no account"]) {
  test(`a sign-in link and a password reset say that email is not configured (address with ${account})`, async ({ page }) => {
    const email = account === "an account" ? "admin@acme.test" : `nobody-${unique()}@acme.test`;
    await requestMagicLink(page, email);
    await expect(page.getByRole("alert").filter({ hasText: NOT_CONFIGURED })).toBeVisible();

    await page.getByRole("tab", { name: "Password" }).click();
    await page.getByRole("button", { name: "Forgot your password?" }).click();
    await page.getByLabel("Work email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("alert").filter({ hasText: NOT_CONFIGURED })).toBeVisible();
    await expect(page.getByRole("status")).toHaveCount(0);
  });
}
