import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn, mainNav } from "./helpers";

test("an admin inspects the seeded digest run and replays it", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  await mainNav(page).getByRole("link", { name: "Jobs" }).click();
  await page.getByRole("combobox", { name: "Status" }).selectOption("failed");
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByRole("heading", { name: "No runs match these filters" })).toBeVisible();
  await page.getByRole("combobox", { name: "Status" }).selectOption("");
  // The demo campaign's hundreds of sequence and webhook runs come after the seed's digest: find it by its function.
  await page.getByRole("combobox", { name: "Function" }).selectOption("compose-workspace-digest");
  await expect(page).toHaveURL(/function=compose-workspace-digest/);
  await expect(page.getByRole("link", { name: "compose-workspace-digest" }).first()).toBeVisible();
  await expectAccessible(page);

  // The digest sleeps a few seconds between its steps; the run page refreshes itself until it ends.
  await page.getByRole("link", { name: "compose-workspace-digest" }).first().click();
  await expect(page.getByTestId("step-compose-digest")).toContainText("completed", { timeout: 30_000 });
  await expect(page.getByTestId("step-load-workspace")).toContainText("completed");
  await expect(page.getByText("workspace/digest.requested")).toBeVisible();
  await expect(page.getByTestId("run-result")).toContainText("Welcome to Acme Outbound");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText("Replay started.")).toBeVisible();
  await expect(page.getByRole("link", { name: "an earlier run" })).toBeVisible();
  await expect(page.getByTestId("step-compose-digest")).toContainText("completed", { timeout: 30_000 });
});

test("the Jobs page shows only this workspace's runs", async ({ page }) => {
  await logIn(page, "admin@globex.test");
  await page.goto("/jobs");
  await page.getByRole("link", { name: "compose-workspace-digest" }).first().click();
  await expect(page.getByTestId("run-result")).toContainText("Welcome to Globex", { timeout: 30_000 });
  await expect(page.getByText("Acme Outbound")).toHaveCount(0);
});
