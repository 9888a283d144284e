import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn, mainNav } from "./helpers";

test("a logged-out visit to an app page redirects to login and comes back after", async ({ page }) => {
  await page.goto("/settings/team");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fteam$/);
  await expect(page.getByRole("heading", { name: "Log in to Lead Intelligence Panel" })).toBeVisible();
  await expectAccessible(page);
});

test("a wrong password says so and keeps the email typed", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Work email").fill(ACME_ADMIN);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  await expectAccessible(page);
  await expect(page.getByLabel("Work email")).toHaveValue(ACME_ADMIN);
});

test("an invalid email is explained next to the field", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("whatever");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
});

test("the admin sees the whole shell and can log out", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  for (const item of ["Home", "Leads", "Companies", "Imports", "Campaigns", "Approvals", "Analytics", "Jobs", "Settings"]) {
    await expect(mainNav(page).getByRole("link", { name: item })).toBeVisible();
  }
  await expect(page.getByTestId("current-workspace")).toHaveText("Acme Outbound");
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/leads");
  await expect(page).toHaveURL(/\/login/);
});
