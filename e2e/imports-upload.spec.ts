import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, logIn } from "./helpers";

/**
 * The upload card of the Imports page: a CSV file goes up with a progress bar and opens its
 * mapping; an image is refused in words. The upload is throttled so the bar is seen moving.
 */

// The first test of a dev run waits for next dev's first compiles (a minute on a busy 2-core machine).
test.describe.configure({ timeout: 180_000 });

const row = (i: number) => `lead-${i}@upload-e2e.example,Zoë,Ångström ${i},"Head of Sales, EMEA"\n`;

test("a rep uploads a CSV file, watches its progress and lands on its mapping", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  await page.goto("/imports");
  await expect(page.getByRole("heading", { name: "Import leads from a CSV file" })).toBeVisible();
  await expectAccessible(page);

  // ~600 KB at 200 KB/s: a few seconds of upload to watch.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 200 * 1024 });
  const file = "Email,First Name,Last Name,Title\n" + Array.from({ length: 8000 }, (_, i) => row(i)).join("");
  await page.getByLabel("CSV file to import").setInputFiles({ name: "Acme leads.csv", mimeType: "text/csv", buffer: Buffer.from(file) });

  const bar = page.getByRole("progressbar", { name: "Uploading Acme leads.csv" });
  await expect(bar).toBeVisible();
  await expect(page.getByText(/^\d{1,3} % · \d+\.\d of 0\.\d MB$/)).toBeVisible();
  await expectAccessible(page);
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}\/mapping$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "Map the columns of Acme leads.csv", level: 1 })).toBeVisible();
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
});

test("an image is refused with a message that says what to do", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  await page.goto("/imports");
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  await page.getByLabel("CSV file to import").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
  await expect(page.getByRole("region", { name: "Import leads from a CSV file" }).getByRole("alert")).toHaveText(
    "This file is a PNG image, not a CSV file. Export your leads as CSV and upload that file.",
  );
  await expect(page).toHaveURL(/\/imports$/);
  await expectAccessible(page);
});
