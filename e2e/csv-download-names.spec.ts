import { expect, test } from "@playwright/test";
import { csvDownload } from "../lib/csv/csv-download";

/**
 * The name Chromium saves a CSV under, for the headers every download route answers with
 * (lib/csv/csv-download.ts): served here as the routes serve them, so what is checked is how a
 * real browser reads our Content-Disposition, accents, quotes, semicolons and newlines included.
 */
const NAMES: [given: string, saved: string][] = [
  ["leads-acme-outbound-2026-06-01.csv", "leads-acme-outbound-2026-06-01.csv"],
  ["Zoë – relance Île-de-France-problem-rows.csv", "Zoë – relance Île-de-France-problem-rows.csv"],
  ["O'Brien (copy)*.csv", "O'Brien (copy)_.csv"],
  ['a "quoted"; name.csv', "a _quoted_; name.csv"],
  ["x.csv\r\nSet-Cookie: session=stolen", "x.csv__Set-Cookie_ session=stolen"],
];

test("Chromium saves every CSV download under its UTF-8 name", async ({ page, baseURL }) => {
  const origin = `${baseURL}/__csv-download-names`;
  await page.route(`${origin}/**`, async (route) => {
    const index = Number(new URL(route.request().url()).pathname.split("/").pop());
    const response = csvDownload("\uFEFFName\nAda\n", NAMES[index]![0], 1);
    await route.fulfill({ status: 200, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
  });
  await page.route(origin, (route) =>
    route.fulfill({
      contentType: "text/html; charset=utf-8",
      body: NAMES.map((_, i) => `<a href="${origin}/${i}">file ${i}</a>`).join("<br>"),
    }),
  );
  await page.goto(origin);
  const saved: string[] = [];
  for (let i = 0; i < NAMES.length; i++) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `file ${i}` }).click()]);
    saved.push(download.suggestedFilename());
  }
  expect(saved).toEqual(NAMES.map(([, name]) => name));
  // The name that tried to add a header set nothing.
  expect(await page.context().cookies()).toEqual([]);
});
