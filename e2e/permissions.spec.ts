import { expect, test } from "@playwright/test";
import { ACME_ADMIN, ACME_VIEWER, GLOBEX_ADMIN, expectAccessible, logIn, mainNav, unique } from "./helpers";

test("a viewer sees a read-only navigation and cannot reach team settings", async ({ page }) => {
  await logIn(page, ACME_VIEWER);
  const nav = mainNav(page);
  for (const item of ["Leads", "Companies", "Campaigns", "Settings"]) await expect(nav.getByRole("link", { name: item })).toBeVisible();
  for (const item of ["Imports", "Approvals", "Analytics", "Jobs"]) await expect(nav.getByRole("link", { name: item })).toHaveCount(0);

  await page.goto("/settings");
  await expect(page.getByRole("link", { name: "Team" })).toHaveCount(0);
  await page.goto("/settings/team");
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(page.getByRole("heading", { name: "Your role does not allow this page" })).toBeVisible();
  await expectAccessible(page);
  await page.goto("/jobs");
  await expect(page).toHaveURL(/\/forbidden/);
});

test("a Globex admin sees nothing of Acme", async ({ page, browser }) => {
  // Give Acme something recent to leak: an invitation email in the outbox.
  const acmeInvitee = `acme-secret-${unique()}@acme.test`;
  const acme = await browser.newPage();
  await logIn(acme, ACME_ADMIN);
  await acme.goto("/settings/team");
  await acme.getByLabel("Email").fill(acmeInvitee);
  await acme.getByRole("button", { name: "Send invitation" }).click();
  await expect(acme.getByText(`Invitation sent to ${acmeInvitee}.`)).toBeVisible();
  await acme.close();

  await logIn(page, GLOBEX_ADMIN);
  await expect(page.getByTestId("current-workspace")).toHaveText("Globex");
  await page.getByRole("button", { name: "Switch workspace" }).click();
  await expect(page.getByRole("menuitem")).toHaveText(["Globex", "New workspace"]);
  await page.keyboard.press("Escape");

  await page.goto("/settings/team");
  await expect(page.getByTestId(`member-${GLOBEX_ADMIN}`)).toBeVisible();
  await expect(page.getByText(/@acme\.test/)).toHaveCount(0);

  await page.goto("/settings/outbox");
  await expect(page.getByText(acmeInvitee)).toHaveCount(0);
  await expect(page.getByText("Acme Outbound")).toHaveCount(0);
  await expectAccessible(page);
});
