import { expect, test } from "@playwright/test";
import { ACME_ADMIN, ACME_VIEWER, expectAccessible, logIn, unique } from "./helpers";

const REP = "rep@acme.test";

test("an admin describes the ideal customer, sets a budget and prices; bad input is refused in words and nothing is lost", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await logIn(page, ACME_ADMIN);
  await page.goto("/settings/ai", { timeout: 120_000 });
  // The e2e app's model is the fake OpenAI-compatible server (playwright.config.ts): the page names the model and the server.
  // (Without one, the page says so and how to configure one: lib/ai/enrichment/runs tests the message.)
  await expect(page.getByTestId("ai-model-status")).toContainText(
    /use gpt-4o-mini on the OpenAI-compatible server at http:\/\/127\.0\.0\.1:\d+\/v1\./,
  );
  const prices = page.getByRole("table", { name: "Prices per million tokens" });
  // By model name: gpt-4.1-mini, gpt-4o-mini, gpt-5-mini.
  await expect(prices.getByLabel("Model, row 2")).toHaveValue("gpt-4o-mini");
  await expect(prices.getByLabel("Input price, row 2", { exact: true })).toHaveValue("0.15");
  await expectAccessible(page);

  const form = page.getByRole("form", { name: "AI settings" });
  const profile = `Fintech companies of 50–500 people in Europe ${unique()}`;
  await form.getByLabel("Describe your ideal customer").fill(profile);
  await form.getByLabel("Target titles").fill("Head of Sales\nVP Sales, Chief Revenue Officer");
  await form.getByLabel("Countries").fill("Deutschland, España");
  await form.getByLabel("Tone").selectOption("professional");
  await form.getByLabel("Monthly budget (USD)").fill("ten dollars");
  await form.getByRole("button", { name: "Add a model" }).click();
  await prices.getByLabel("Model, row 4").fill("llama3.1:8b");
  await prices.getByLabel("Output price, row 4", { exact: true }).fill("-1");
  await form.getByRole("button", { name: "Save AI settings" }).click();
  await expect(form.getByText("Enter the budget in dollars, like 50, or leave it empty for no limit.")).toBeVisible();
  await expect(form.getByText("A price cannot be negative.")).toBeVisible();
  // What was typed is still there.
  await expect(form.getByLabel("Describe your ideal customer")).toHaveValue(profile);
  await expectAccessible(page);

  await form.getByLabel("Monthly budget (USD)").fill("25");
  await prices.getByLabel("Output price, row 4", { exact: true }).fill("0");
  await form.getByRole("button", { name: "Save AI settings" }).click();
  await expect(page.getByText("AI settings saved.")).toBeVisible();
  await expect(page.getByTestId("ai-spend")).toContainText("of the $25.00 budget");

  await page.reload();
  await expect(form.getByLabel("Describe your ideal customer")).toHaveValue(profile);
  await expect(form.getByLabel("Target titles")).toHaveValue("Head of Sales\nVP Sales\nChief Revenue Officer");
  await expect(form.getByLabel("Countries")).toHaveValue("Deutschland\nEspaña");
  await expect(form.getByLabel("Tone")).toHaveValue("professional");
  await expect(prices.getByLabel("Model, row 4")).toHaveValue("llama3.1:8b");
});

test("a sales rep has no AI settings tab and is refused the page", async ({ page }) => {
  test.setTimeout(120_000);
  await logIn(page, REP);
  await page.goto("/settings", { timeout: 120_000 });
  await expect(page.getByRole("link", { name: "Notifications" })).toBeVisible();
  await expect(page.getByRole("link", { name: "AI", exact: true })).toHaveCount(0);
  await page.goto("/settings/ai");
  await expect(page).toHaveURL(/\/forbidden/);
});

test("a sales rep reads the month's AI spend per day and feature; a malformed month shows this month with a notice; a viewer has no such tab", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await logIn(page, REP);
  await page.goto("/settings", { timeout: 120_000 });
  await page.getByRole("link", { name: "AI usage" }).click();
  await expect(page.getByRole("heading", { name: /^AI spend in \w+ \d{4}$/ })).toBeVisible();
  await expect(page.getByTestId("ai-usage-chart")).toBeVisible();
  await expect(page.getByRole("table", { name: "By feature" }).getByRole("rowheader", { name: "Reply reading" })).toBeVisible();
  await expectAccessible(page);

  await page.goto("/settings/ai-usage?month=2026-13");
  await expect(page.getByTestId("ai-usage-notice")).toContainText('"2026-13" is not a month like');

  await page.context().clearCookies();
  await logIn(page, ACME_VIEWER);
  await page.goto("/settings");
  await expect(page.getByRole("link", { name: "Notifications" })).toBeVisible();
  await expect(page.getByRole("link", { name: "AI usage" })).toHaveCount(0);
  await page.goto("/settings/ai-usage");
  await expect(page).toHaveURL(/\/forbidden/);
});
