import { expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";

export const DEMO_PASSWORD = "demo-pass-2026";
export const ACME_ADMIN = "admin@acme.test";
export const ACME_VIEWER = "viewer@acme.test";
export const GLOBEX_ADMIN = "admin@globex.test";

export const unique = () => randomBytes(4).toString("hex");

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  // The first sign-in of a dev run compiles /leads: on a busy 2-core machine that alone takes 20 s.
  await expect(page).toHaveURL(/\/leads$/, { timeout: 60_000 });
}

export function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}
