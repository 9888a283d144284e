import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn } from "./helpers";

/**
 * Pre-flight as people read it: on the demo draft's campaign page (the rep's view, here the
 * admin's) and on the pending campaign's review screen, computed on the server.
 */
test("the campaign page and the review screen show pre-flight's checks, audience and capacity", async ({ page }) => {
  test.setTimeout(180_000);
  await logIn(page, ACME_ADMIN);

  await page.goto("/campaigns");
  await page.getByRole("link", { name: "Software leads — new this quarter" }).click();
  const checks = page.getByRole("region", { name: "Pre-flight checks" });
  await expect(checks).toBeVisible({ timeout: 60_000 });
  await expect(checks.getByText(/of [\d,]+ matching leads will be emailed|No audience chosen yet/)).toBeVisible();
  await expect(checks.getByText(/Nothing blocks submission|blocks? submission/)).toBeVisible();
  await expectAccessible(page);

  await page.goto("/approvals");
  await page.getByRole("link", { name: "Hot pipeline check-in" }).click();
  const review = page.getByRole("region", { name: "Pre-flight checks" });
  await expect(review).toBeVisible({ timeout: 60_000 });
  await expect(review.getByText("Nothing blocks approval")).toBeVisible();
  // The demo's two mailboxes: one sends on weekdays only, the other every day.
  await expect(review.getByText(/emails at most, 130 a day on Mon–Fri and 50 on Sat, Sun/)).toBeVisible();
  await expectAccessible(page);
});
