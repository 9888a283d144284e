import { domainToASCII } from "node:url";
import { expect, test } from "@playwright/test";
import { ACME_ADMIN, ACME_VIEWER, expectAccessible, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

const ACME_MANAGER = "manager@acme.test";

test("an admin manages the suppression list: adds an address and a domain, is told what is wrong or already there, uploads a list with per-row results, searches and removes after confirming", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const tag = unique();
  await logIn(page, ACME_ADMIN);
  await page.goto("/settings/suppression", { timeout: 180_000 });
  await expect(page.getByRole("heading", { name: /Suppression list \(\d+\)/ })).toBeVisible();
  await expectAccessible(page);

  const add = page.getByRole("form", { name: "Add to the suppression list" });
  await add.getByLabel("Email address or domain").fill("=HYPERLINK(1)");
  await add.getByRole("button", { name: "Add" }).click();
  await expect(add.getByText("Not a domain (like example.com).")).toBeVisible();
  await expectAccessible(page);

  await add.getByLabel("Email address or domain").fill(` Hand-${tag}@Example.com `);
  await add.getByLabel("Note (optional)").fill("Asked on the phone");
  await add.getByRole("button", { name: "Add" }).click();
  await expect(page.getByText(`hand-${tag}@example.com will not be emailed.`)).toBeVisible();
  await add.getByLabel("Email address or domain").fill(`@${tag}.example`);
  await add.getByRole("button", { name: "Add" }).click();
  await expect(page.getByText(`Nobody at ${tag}.example will be emailed.`)).toBeVisible();
  const table = page.getByRole("table").last();
  await expect(table.getByRole("row", { name: new RegExp(`hand-${tag}@example\\.com`) })).toContainText("Asked on the phone");
  await expect(table.getByRole("row", { name: new RegExp(`^${tag}\\.example \\(whole domain\\)`) })).toContainText("Added by hand");
  // A domain typed in Unicode is kept in its ASCII form, and shown as it was typed.
  await add.getByLabel("Email address or domain").fill(`@Bücher-${tag}.example`);
  await add.getByRole("button", { name: "Add" }).click();
  await expect(page.getByText(`Nobody at bücher-${tag}.example will be emailed.`)).toBeVisible();
  await expect(table.getByRole("row", { name: new RegExp(`^bücher-${tag}\\.example \\(whole domain\\)`) })).toContainText(
    `${domainToASCII(`bücher-${tag}.example`)}Added by hand`,
  );

  await add.getByLabel("Email address or domain").fill(`HAND-${tag}@example.com`);
  await add.getByRole("button", { name: "Add" }).click();
  await expect(add.getByText(`hand-${tag}@example.com is already on the suppression list (added by hand).`)).toBeVisible();
  // Said once, under the form, not again in a toast: once the next add's toast is up, a toast
  // for the refusal would have come before it, and would still be showing.
  await add.getByLabel("Email address or domain").fill(`again-${tag}@example.com`);
  await add.getByRole("button", { name: "Add" }).click();
  await expect(page.getByText(`again-${tag}@example.com will not be emailed.`)).toBeVisible();
  // Counted now, not waited for: a toast goes by itself after a few seconds.
  expect(await page.getByText(/is already on the suppression list/).count()).toBe(0);

  const upload = page.getByRole("form", { name: "Upload a suppression list" });
  const csv = [
    "Name,Email",
    `Ann,ann-${tag}@upload.example`,
    `Again,ANN-${tag}@upload.example`,
    'Evil,"=HYPERLINK(""http://evil.example"",""x"")"',
    `Hand,hand-${tag}@example.com`,
    `Bo,bo-${tag}@second.example`,
  ].join("\n");
  // A picture is not a list: the form says so before sending anything.
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  await upload.getByLabel("CSV or text file").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload.getByText("This is not a CSV or text file. Save the list as CSV")).toBeVisible();
  await upload.getByLabel("CSV or text file").setInputFiles({ name: "suppress.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await upload.getByRole("button", { name: "Upload" }).click();
  const results = page.getByRole("region", { name: "Upload results" });
  await expect(results.getByRole("status")).toHaveText("suppress.csv: 2 added, 1 already on the list, 1 repeated in the file, 1 refused.");
  await expect(results.getByRole("row", { name: /^3 / })).toContainText("Repeated: same as row 2");
  // The formula is shown as text, refused, never run or rendered.
  await expect(results.getByRole("row", { name: /^4 / })).toContainText('=HYPERLINK("http://evil.example","x")');
  await expect(results.getByRole("row", { name: /^4 / })).toContainText("Refused: Not a domain (like example.com).");
  await expect(results.getByRole("row", { name: /^5 / })).toContainText("Already on the list");
  await expectAccessible(page);

  // The whole list as a formula-safe CSV.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^suppressions-acme-outbound-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = await download.createReadStream().then(async (stream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  });
  expect(file).toContain(`ann-${tag}@upload.example,email,import,`);

  const search = page.getByRole("search");
  await search.getByLabel("Search the suppression list").fill(`${tag}@upload`);
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${tag}%40upload`));
  await expect(page.getByRole("heading", { name: "Suppression list (1 found)" })).toBeVisible();
  const imported = page.getByRole("row", { name: new RegExp(`ann-${tag}@upload\\.example`) });
  await expect(imported).toContainText("Imported");

  const dialog = page.getByRole("alertdialog", { name: `Remove ann-${tag}@upload.example from the suppression list?` });
  // The search reloaded the page: the button answers once it has hydrated.
  await expect(async () => {
    await imported.getByRole("button", { name: `Remove ann-${tag}@upload.example` }).click();
    await expect(dialog).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(dialog).toContainText("Campaigns may email it again.");
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(imported).toBeVisible();
  await imported.getByRole("button", { name: `Remove ann-${tag}@upload.example` }).click();
  await dialog.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText(`ann-${tag}@upload.example removed from the suppression list.`)).toBeVisible();
  await expect(page.getByText(`Nothing on the list contains “${tag}@upload”.`)).toBeVisible();
});

test("a manager adds an address by hand but cannot remove it or upload a list; an admin removes it after confirming", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const tag = unique();
  const address = `mgr-${tag}@example.com`;
  await logIn(page, ACME_MANAGER);
  await page.goto("/settings/suppression", { timeout: 180_000 });
  await expect(page.getByRole("heading", { name: /Suppression list \(\d+\)/ })).toBeVisible();
  await expect(page.getByText("Only admins remove entries or upload lists.")).toBeVisible();
  await expect(page.getByRole("form", { name: "Upload a suppression list" })).toHaveCount(0);
  await expectAccessible(page);

  const add = page.getByRole("form", { name: "Add to the suppression list" });
  await add.getByLabel("Email address or domain").fill(` MGR-${tag}@Example.com `);
  await add.getByLabel("Note (optional)").fill("Asked the manager to stop");
  await add.getByRole("button", { name: "Add" }).click();
  await expect(page.getByText(`${address} will not be emailed.`)).toBeVisible();
  const row = page
    .getByRole("table")
    .last()
    .getByRole("row", { name: new RegExp(`mgr-${tag}@example\\.com`) });
  await expect(row).toContainText("Asked the manager to stop");
  await expect(row).toContainText("Added by hand");
  // Removing lets campaigns email it again: an admin's decision, so no button here.
  await expect(page.getByRole("button", { name: /^Remove / })).toHaveCount(0);
  await expectAccessible(page);

  const adminContext = await browser.newContext();
  try {
    const admin = await adminContext.newPage();
    await logIn(admin, ACME_ADMIN);
    await admin.goto(`/settings/suppression?q=${encodeURIComponent(address)}`, { timeout: 180_000 });
    await expect(admin.getByRole("heading", { name: "Suppression list (1 found)" })).toBeVisible();
    const entry = admin.getByRole("row", { name: new RegExp(`mgr-${tag}@example\\.com`) });
    await expect(entry).toContainText("Asked the manager to stop");
    const dialog = admin.getByRole("alertdialog", { name: `Remove ${address} from the suppression list?` });
    await expect(async () => {
      await entry.getByRole("button", { name: `Remove ${address}` }).click();
      await expect(dialog).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await expectAccessible(admin);
    await dialog.getByRole("button", { name: "Remove" }).click();
    await expect(admin.getByText(`${address} removed from the suppression list.`)).toBeVisible();
    await expect(admin.getByText(`Nothing on the list contains “${address}”.`)).toBeVisible();
  } finally {
    await adminContext.close();
  }

  // The manager's list no longer has it.
  await page.reload();
  await expect(page.getByRole("heading", { name: /Suppression list \(\d+\)/ })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(`mgr-${tag}@example\\.com`) })).toHaveCount(0);
});

test("a viewer reads the suppression list but cannot change it", async ({ page }) => {
  test.setTimeout(240_000);
  await logIn(page, ACME_VIEWER);
  await page.goto("/settings/suppression", { timeout: 180_000 });
  await expect(page.getByRole("heading", { name: /Suppression list \(\d+\)/ })).toBeVisible();
  await expect(page.getByText("Managers and admins add to it; only admins remove entries.")).toBeVisible();
  await expect(page.getByRole("form", { name: "Add to the suppression list" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Upload a suppression list" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Remove / })).toHaveCount(0);
  // Viewers cannot export data.
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveCount(0);
  await expectAccessible(page);
});

test("a free email provider's whole domain is added only once the admin confirms it", async ({ page }, testInfo) => {
  const sql = e2eDatabase(testInfo);
  try {
    await logIn(page, ACME_ADMIN);
    await page.goto("/settings/suppression", { timeout: 180_000 });
    const add = page.getByRole("form", { name: "Add to the suppression list" });
    await add.getByLabel("Email address or domain").fill("@Rambler.ru");
    await add.getByRole("button", { name: "Add" }).click();
    await expect(add.getByRole("alert")).toHaveText(
      "rambler.ru is a free email provider: suppressing the whole domain stops every email to anyone with a rambler.ru address, not one company. Tick the box to add it anyway.",
    );
    await expectAccessible(page);
    await add.getByLabel("Yes, suppress the whole domain").check();
    await add.getByRole("button", { name: "Add" }).click();
    await expect(page.getByText("Nobody at rambler.ru will be emailed.")).toBeVisible();
    await expect(add.getByLabel("Yes, suppress the whole domain")).toHaveCount(0);
  } finally {
    await sql`delete from public.suppressions where kind = 'domain' and value = 'rambler.ru'`;
    await sql.end();
  }
});
