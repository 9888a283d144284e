import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, GLOBEX_ADMIN, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

/**
 * Pause, resume and cancel on the import's page, with a file generated here that is big
 * enough to watch (many batches of 10,000 rows): each button answers at once, a paused import
 * stops moving once the batch under way has ended, a resumed one moves on from where it
 * stopped, and a cancelled one stops for good short of the end. Its addresses are free-mail
 * ones (no companies are created) and its leads are removed afterwards, so other specs keep
 * counting the demo's own.
 */

const ROWS = 300_000;
const tag = unique();

test.describe.configure({ timeout: 600_000 });
test.use({ navigationTimeout: 240_000, actionTimeout: 120_000 });

test.afterAll(async ({}, info) => {
  const sql = e2eDatabase(info);
  await sql`delete from public.leads where email like ${`ctl-${tag}-%`}`;
  await sql`delete from public.lead_imports where file_name = ${`controls-${tag}.csv`}`;
  await sql.end();
});

/** The import's progress as its page polls it. */
async function progressOf(page: Page, importId: string): Promise<{ status: string; processedRows: number; totalRows: number }> {
  const response = await page.request.get(`/api/imports/${importId}`);
  expect(response.ok()).toBe(true);
  return response.json();
}

/**
 * The processed rows once the import's job has stopped: no run of it is still under way, so the
 * batch in progress when it was paused or cancelled has committed. (Two equal reads some seconds
 * apart prove nothing: a batch of 10,000 rows can take longer than that on a loaded machine.)
 */
async function settledRows(page: Page, importId: string): Promise<number> {
  const sql = e2eDatabase(test.info());
  try {
    await expect
      .poll(
        async () => {
          const [row] = await sql<{ running: number }[]>`
            select count(*)::int as running from public.job_runs r join public.job_events e on e.id = r.event_id
            where r.function_id = 'run-lead-import' and e.data ->> 'importId' = ${importId}
              and r.status not in ('completed', 'failed', 'cancelled')`;
          return row!.running;
        },
        { timeout: 120_000 },
      )
      .toBe(0);
  } finally {
    await sql.end();
  }
  return (await progressOf(page, importId)).processedRows;
}

test("an admin pauses a large import, resumes it where it stopped, and cancels it short of the end", async ({ page }) => {
  const file = ["Email,First Name,Last Name", ...Array.from({ length: ROWS }, (_, i) => `ctl-${tag}-${i}@gmail.com,Ann,Lee ${i}`)].join(
    "\n",
  );
  await logIn(page, GLOBEX_ADMIN);
  await page.goto("/imports");
  await page
    .getByLabel("CSV file to import")
    .setInputFiles({ name: `controls-${tag}.csv`, mimeType: "text/csv", buffer: Buffer.from(file + "\n") });
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}\/mapping$/, { timeout: 120_000 });
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  const importId = new URL(page.url()).pathname.split("/").pop()!;
  const processed = page.getByTestId("import-processed");
  const total = ROWS.toLocaleString("en-US");

  // Moving: at least one batch committed, far from the end.
  await expect(page.getByText("Importing", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(processed).not.toHaveText(`0 of ${total} rows`, { timeout: 60_000 });
  await expectAccessible(page);

  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByText("Import paused. The batch already under way finishes first.")).toBeVisible();
  await expect(page.getByText("Paused", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Resume" })).toBeVisible();
  const paused = await settledRows(page, importId);
  expect(paused).toBeLessThan(ROWS);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await progressOf(page, importId)).toMatchObject({ status: "paused", processedRows: paused });
  await expect(processed).toHaveText(`${paused.toLocaleString("en-US")} of ${total} rows`, { timeout: 15_000 });
  await expectAccessible(page);

  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByText("Import resumed.")).toBeVisible();
  await expect.poll(async () => (await progressOf(page, importId)).processedRows, { timeout: 60_000 }).toBeGreaterThan(paused);

  await page.getByRole("button", { name: "Cancel import" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Cancel this import?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Cancel import" }).click();
  await expect(page.getByText("Import cancelled. The batch already under way finishes first.")).toBeVisible();
  await expect(page.getByText("Cancelled", { exact: true })).toBeVisible();
  const cancelled = await settledRows(page, importId);
  expect(cancelled).toBeGreaterThan(paused);
  expect(cancelled).toBeLessThan(ROWS);
  expect(await progressOf(page, importId)).toMatchObject({ status: "cancelled", processedRows: cancelled });
  await expect(page.getByRole("button", { name: "Resume" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Pause" })).toHaveCount(0);
  await expectAccessible(page);
});
