import { expect, test } from "@playwright/test";
import { ACME_ADMIN, ACME_VIEWER, GLOBEX_ADMIN, expectAccessible, logIn } from "./helpers";

// The viewer is in New York and the workspace in UTC: the page's days are the viewer's.
test.use({ timezoneId: "America/New_York", locale: "en-US" });

/**
 * The analytics page of the demo workspace: its running campaign ("Spring intro") sends and its
 * first readers open, click, reply and bounce as the seed plays them; the funnel chart, its
 * table and the CSV come from the rollups those events keep.
 */
test("shows the demo campaign's funnel as a chart and a table, in the viewer's zone, with its CSV", async ({ page }) => {
  test.setTimeout(240_000);
  await logIn(page, ACME_ADMIN);
  await page.goto("/analytics");
  await expect(page).toHaveURL(/tz=America%2FNew_York/);
  await expect(page.getByText(/days in America\/New_York/)).toBeVisible();

  // The demo campaign's first emails go out once the app has started: wait for them.
  const funnel = page.getByTestId("section-funnel");
  await expect(async () => {
    await page.reload();
    await expect(funnel.getByTestId("table-funnel")).toContainText("Spring intro", { timeout: 2_000 });
  }).toPass({ timeout: 180_000, intervals: [3_000] });
  await expect(page.getByTestId("analytics-funnel-chart")).toBeVisible();
  await expect(page.getByTestId("analytics-funnel-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  // The legend reads in the funnel's order, not alphabetically.
  const legend = page.getByTestId("analytics-funnel-chart").locator(".recharts-legend-item-text");
  await expect(legend.first()).toHaveText("Sent");
  expect((await legend.allTextContents()).slice(0, 3)).toEqual(["Sent", "Delivered", "Opened"]);
  await expect(funnel).toContainText("two-proportion z-test");
  // The series charts draw their tables' rows (sent once to the browser): a line per series, an area per status.
  const dailyChart = page.getByTestId("analytics-daily-chart");
  await expect(dailyChart.locator(".recharts-line-curve")).toHaveCount(4);
  await expect(dailyChart.locator(".recharts-legend-item-text")).toHaveText(["Sent", "Replied", "Bounced", "Complained"]);
  const pipelineChart = page.getByTestId("analytics-pipeline-chart");
  await expect(pipelineChart.locator(".recharts-area-area").first()).toBeVisible();
  await expect(pipelineChart.locator(".recharts-legend-item-text").first()).toHaveText("New");
  // The table writes its numbers grouped ("1,234").
  await expect(page.getByTestId("table-pipeline").locator("tbody tr").first().locator("td").first()).toHaveText(/^[\d,]+$/);
  // The demo's Instantly sandbox made up the senders of its sample replies and Instantly's daily
  // figures: the page says so, and how much, above the figures (audited with the page below).
  const sample = page.getByRole("note").filter({ hasText: "include sample data" });
  await expect(async () => {
    await page.reload();
    await expect(sample).toContainText(/\d+ leads? the Instantly sandbox invented, the senders of its sample replies/, { timeout: 2_000 });
  }).toPass({ timeout: 120_000, intervals: [3_000] });
  await expect(sample).toContainText("not real people");
  await expectAccessible(page);

  const href = await funnel.getByRole("link", { name: /CSV/ }).getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const body = await csv.text();
  expect(body).toMatch(/^\uFEFF?Campaign,Step,Variant,Sent,Delivered/);
  expect(body).toContain("Spring intro");
});

/**
 * A long range is shown by week (over 92 days) or by month (over a year), so the page stays
 * quick: its series table and its pipeline say "Week of" or "Month", the chart has a point per
 * period, and the CSV has the same rows as the table.
 */
test("shows a long range by week or month, and exports what it shows", async ({ page }) => {
  // The first visit may compile the page (dev server).
  test.setTimeout(240_000);
  await logIn(page, ACME_ADMIN);
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(new Date());
  const daysBefore = (n: number) => new Date(Date.parse(`${today}T12:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

  for (const { from, header, noun, max } of [
    { from: daysBefore(179), header: "Week of", noun: "week", max: 27 },
    { from: daysBefore(729), header: "Month", noun: "month", max: 25 },
  ]) {
    await page.goto(`/analytics?from=${from}&to=${today}&tz=America/New_York`);
    const daily = page.getByTestId("section-daily");
    await expect(daily.getByRole("heading", { name: `Sends, replies, bounces and complaints per ${noun}` })).toBeVisible();
    await expect(daily.getByTestId("table-daily").locator("thead th").first()).toHaveText(header);
    await expect(page.getByTestId("table-pipeline").locator("thead th").first()).toHaveText(header);
    const rows = await daily.getByTestId("table-daily").locator("tbody tr").count();
    expect(rows).toBeGreaterThan(1);
    expect(rows).toBeLessThanOrEqual(max);
    await expect(page.getByTestId("analytics-daily-chart")).toBeVisible();
    await expect(daily).toContainText(noun === "week" ? "Monday to Sunday in America/New_York" : "calendar month in America/New_York");

    const firstCells = await daily.getByTestId("table-daily").locator("tbody tr th").allTextContents();
    const href = await daily.getByRole("link", { name: /CSV/ }).getAttribute("href");
    const csv = (await (await page.request.get(href!)).text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toBe(`${header},Sent,Replied,Bounced,Complained`);
    expect(csv.slice(1).map((line) => line.split(",")[0])).toEqual(firstCells);
  }
  await expectAccessible(page);
});

test("corrects a malformed, inverted or too long range with a notice instead of failing", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  const response = await page.goto("/analytics?from=2026-02-30&to=yesterday&tz=UTC");
  expect(response?.status()).toBe(200);
  const notices = page.getByTestId("range-notices");
  await expect(notices).toContainText("is not a date");
  await page.goto("/analytics?from=2026-06-10&to=2026-06-01&tz=UTC");
  await expect(page.getByTestId("range-notices")).toContainText("swapped");
  await expect(page.getByLabel("From")).toHaveValue("2026-06-01");
  await page.goto("/analytics?from=2019-01-01&to=2026-06-01&tz=UTC");
  await expect(page.getByTestId("range-notices")).toContainText("at most two years");
  await expectAccessible(page);
});

test("a viewer cannot open analytics or export it; another workspace sees none of Acme's campaigns", async ({ page, browser }) => {
  await logIn(page, ACME_VIEWER);
  await page.goto("/analytics");
  await expect(page).toHaveURL(/\/forbidden/);
  expect((await page.request.get("/api/analytics/export?table=funnel")).status()).toBe(403);

  const globexContext = await browser.newContext();
  const globex = await globexContext.newPage();
  await logIn(globex, GLOBEX_ADMIN);
  await globex.goto("/analytics?from=2020-01-01&tz=UTC");
  await expect(globex.getByTestId("section-funnel")).not.toContainText("Spring intro");
  // Globex has no sandbox data: no notice (nor Acme's counts).
  await expect(globex.getByTestId("sample-data-in-figures")).toHaveCount(0);
  const csv = await globex.request.get("/api/analytics/export?table=funnel&from=2025-01-01&tz=UTC");
  expect(await csv.text()).not.toContain("Spring intro");
  await globexContext.close();
});
