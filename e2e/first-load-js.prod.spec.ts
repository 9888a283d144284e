import { expect, test } from "@playwright/test";
import { BUDGET_PAGES, FIRST_LOAD_BUDGET_KB, measurePages } from "../scripts/lib/first-load-js";
import { logIn } from "./helpers";

/** The production build this project's server runs (playwright.config.ts, prodServer). */
const DIST_DIR = ".next-e2e-prod";

// The budget of issue 10 from the build's manifests (as `npm run bench:js` counts it), and the
// proof that the count is what a browser loads: the served /leads names exactly those scripts.
test("the main pages' first-load JavaScript stays within the budget, counted as the served page loads it", async ({ page }) => {
  const pages = await measurePages(DIST_DIR, BUDGET_PAGES);
  for (const { route, gzipBytes } of pages) {
    expect.soft(gzipBytes / 1024, `${route}: first-load JS, kB gzip`).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_KB);
  }
  expect(
    pages.flatMap((p) => p.notFoundOnly),
    "client chunks of app/not-found.tsx alone",
  ).toEqual([]);

  await logIn(page, "rep@acme.test");
  const html = await (await page.request.get("/leads")).text();
  const served = [...html.matchAll(/<script([^>]*)>/g)]
    .filter((m) => !/\bnomodule\b/i.test(m[1]!))
    .map((m) => /\bsrc="\/_next\/([^"?]+)/.exec(m[1]!)?.[1])
    .filter((src): src is string => src !== undefined);
  const leads = pages.find((p) => p.route === "/leads")!;
  expect(new Set(served)).toEqual(new Set(leads.scripts));
});
