import { expect, test } from "@playwright/test";
import { ACME_ADMIN, ACME_VIEWER, expectAccessible, logIn, unique } from "./helpers";

test("an admin creates an API key, sees its secret once, uses it, reads the reference and revokes it", async ({ page }) => {
  test.setTimeout(300_000);
  const name = `E2E sync ${unique()}`;
  await logIn(page, ACME_ADMIN);
  await page.goto("/settings/api", { timeout: 180_000 });
  await expect(page.getByRole("heading", { name: "Create an API key" })).toBeVisible();
  await expectAccessible(page);

  const form = page.getByRole("form", { name: "Create an API key" });
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByText("Name the key after what will use it")).toBeVisible();

  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Access").selectOption("read_write");
  await form.getByLabel("Expires").selectOption("30");
  await form.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("status").filter({ hasText: "it will not be shown again" });
  await expect(shown).toContainText(name);
  const secret = await page.getByLabel("New API key").inputValue();
  expect(secret).toMatch(/^lip_[A-Za-z0-9_-]{43}$/);
  await expectAccessible(page);

  // The key works at once, in the Authorization header only.
  const listed = await page.request.get("/api/v1/leads?pageSize=25", { headers: { authorization: `Bearer ${secret}` } });
  expect(listed.status()).toBe(200);
  expect(((await listed.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
  const inUrl = await page.request.get(`/api/v1/leads?api_key=${secret}`);
  expect(inUrl.status()).toBe(400);
  // A mistyped address or a method an address does not take is answered in the API's error shape, not as a page.
  const typo = await page.request.get("/api/v1/lead", { headers: { authorization: `Bearer ${secret}` } });
  expect(typo.status()).toBe(404);
  expect(((await typo.json()) as { error: { code: string } }).error.code).toBe("not_found");
  const wrongMethod = await page.request.put("/api/v1/leads", { headers: { authorization: `Bearer ${secret}` } });
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()["allow"]).toBe("GET, POST, HEAD, OPTIONS");
  expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");

  await shown.getByRole("button", { name: "Done" }).click();
  await expect(page.getByLabel("New API key")).toHaveCount(0);
  await page.reload();
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText(`${secret.slice(0, 10)}…`);
  await expect(row).toContainText("Read and write");
  await expect(row).toContainText("Active");
  await expect(page.locator("body")).not.toContainText(secret);

  // A second live key of that name could not be told apart from it in this list.
  await form.getByLabel("Name").fill(name.toUpperCase());
  await form.getByRole("button", { name: "Create key" }).click();
  await expect(form.getByText("A live key of this workspace already has this name.")).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(name, "i") })).toHaveCount(1);

  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { name: /GET \/api\/v1\/leads — List leads/ })).toBeVisible({ timeout: 60_000 });
  // What the descriptions mark as code reads as code, not as backticks.
  const addSuppression = page.locator("section", { has: page.getByRole("heading", { name: /POST \/api\/v1\/suppressions/ }) });
  await expect(addSuppression.locator("code", { hasText: /^@example\.com$/ })).toBeVisible();
  await expect(addSuppression).not.toContainText("`");
  await expectAccessible(page);
  await page.goBack();

  const dialog = page.getByRole("alertdialog", { name: `Revoke the key “${name}”?` });
  await expect(async () => {
    await page
      .getByRole("row", { name: new RegExp(name) })
      .getByRole("button", { name: `Revoke ${name}` })
      .click();
    await expect(dialog).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await dialog.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText(`“${name}” revoked.`)).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Revoked");
  await expectAccessible(page);

  const refused = await page.request.get("/api/v1/leads", { headers: { authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("api_key_revoked");
});

test("a viewer has no API settings", async ({ page }) => {
  test.setTimeout(180_000);
  await logIn(page, ACME_VIEWER);
  await page.goto("/settings", { timeout: 120_000 });
  await expect(page.getByRole("link", { name: "Suppression" })).toBeVisible();
  await expect(page.getByRole("link", { name: "API", exact: true })).toHaveCount(0);
  await page.goto("/settings/api");
  await expect(page).toHaveURL(/\/forbidden/);
  // The reference is anyone's to read, and sends nobody to the admin's page.
  await page.goto("/settings/api/reference", { timeout: 120_000 });
  await expect(page.getByText("An admin of this workspace makes the keys, in Settings → API.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Settings → API" })).toHaveCount(0);
});
