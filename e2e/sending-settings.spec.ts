import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, GLOBEX_ADMIN, logIn, unique } from "./helpers";
import { e2eDatabase } from "./mail";

const REP = "rep@acme.test";

test("an admin manages sending identities: bad input is refused field by field, then added, edited, archived and deleted", async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await logIn(page, ACME_ADMIN);
  await page.goto("/settings/sending", { timeout: 120_000 });
  await expect(page.getByRole("heading", { name: /Sending identities \(\d+\)/ })).toBeVisible();
  // The demo's two mailboxes.
  await expect(page.getByRole("listitem", { name: "amelie.durand@acme.test" })).toContainText("Europe/Paris");
  await expect(page.getByRole("listitem", { name: "bruno.sanchez@acme.test" })).toContainText("replies to sales@acme.test");
  // The demo's running and pending campaigns send from it, in words a rep reads.
  await expect(page.getByRole("listitem", { name: "bruno.sanchez@acme.test" })).toContainText(
    /Used by \d+ campaigns, \d+ of them submitted or approved\./,
  );
  await expectAccessible(page);

  const form = page.getByRole("form", { name: "Add a sending identity" });
  const address = `outreach-${unique()}@acme.test`;
  await form.getByLabel("From name").fill("");
  await form.getByLabel("From address").fill("not-an-address");
  await form.getByLabel("Default time zone").fill("Mars/Olympus_Mons");
  await form.getByLabel("Sends from").fill("17:00");
  await form.getByLabel("Until").fill("09:00");
  await form.getByRole("button", { name: "Add identity" }).click();
  await expect(form.getByText("Enter the name emails come from.")).toBeVisible();
  await expect(form.getByText("Enter a valid email address for the from address, like name@company.com.")).toBeVisible();
  await expect(form.getByText("Choose a time zone by its IANA name, like Europe/Paris or America/New_York.")).toBeVisible();
  await expect(form.getByText("Sending must stop after it starts, on the same day.")).toBeVisible();
  await expectAccessible(page);

  await form.getByLabel("From name").fill("Outreach Desk");
  await form.getByLabel("From address").fill(address);
  await form.getByLabel("Default time zone").fill("Asia/Tokyo");
  await form.getByLabel("Sends from").fill("08:00");
  await form.getByLabel("Until").fill("12:00");
  await form.getByLabel("Sat").check();
  await form.getByLabel("Postal address").fill("1-1 Marunouchi, Chiyoda-ku, Tokyo");
  await form.getByRole("button", { name: "Add identity" }).click();
  await expect(page.getByText(`${address} can now be chosen for campaigns.`)).toBeVisible();
  const row = page.getByRole("listitem", { name: address });
  await expect(row).toContainText("Outreach Desk");
  await expect(row).toContainText("Mon, Tue, Wed, Thu, Fri, Sat · 08:00–12:00 · Asia/Tokyo");

  // The same address twice is refused in words.
  await form.getByLabel("From name").fill("Again");
  await form.getByLabel("From address").fill(address.toUpperCase());
  await form.getByLabel("Default time zone").fill("UTC");
  await form.getByRole("button", { name: "Add identity" }).click();
  await expect(page.getByText(`Another sending identity already sends from ${address}.`).first()).toBeVisible();

  await row.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("form", { name: `Edit ${address}` });
  await edit.getByLabel("Daily cap").fill("120");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await expect(row).toContainText("120 a day");
  await expect(row).toContainText("0 of 120 sent today (Asia/Tokyo)");

  // A mailbox at its cap for the day (its own day, in Tokyo) says so.
  const sql = e2eDatabase(info);
  await sql`insert into public.sending_identity_usage (workspace_id, identity_id, day, sent)
    select workspace_id, id, (now() at time zone 'Asia/Tokyo')::date, 120 from public.sending_identities where from_email = ${address}`;
  await sql.end();
  await page.reload();
  await expect(row).toContainText("120 of 120 sent today (Asia/Tokyo): at its cap, the rest waits for its next sending day.");

  await row.getByRole("button", { name: "Archive" }).click();
  await expect(row).toContainText("Archived");
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("No campaign uses it.");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Delete identity" }).click();
  await expect(page.getByText(`${address} deleted.`)).toBeVisible();
  await expect(page.getByRole("listitem", { name: address })).toHaveCount(0);
});

test("a sales rep has no Sending tab and cannot open the page", async ({ page }) => {
  test.setTimeout(180_000);
  await logIn(page, REP);
  await page.goto("/settings", { timeout: 120_000 });
  await expect(page.getByRole("link", { name: "Notifications" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sending" })).toHaveCount(0);
  await page.goto("/settings/sending");
  await expect(page).toHaveURL(/\/forbidden/);
});

test("an admin sets the workspace's time zone and bounce protection: bad values refused in words, good ones kept", async ({ page }) => {
  test.setTimeout(240_000);
  await logIn(page, GLOBEX_ADMIN);
  await page.goto("/settings/sending", { timeout: 120_000 });
  const form = page.getByRole("form", { name: "Workspace sending settings" });
  await expect(form.getByLabel("Hard-bounce limit (%)")).toHaveValue("2");
  await expect(form.getByLabel("Complaint limit (%)")).toHaveValue("0.1");
  await expect(form.getByLabel("Judge after (sends)")).toHaveValue("100");
  const zone = form.getByLabel("Workspace time zone");
  const originalZone = await zone.inputValue();
  await expectAccessible(page);

  await zone.fill("Mars/Olympus_Mons");
  await form.getByLabel("Hard-bounce limit (%)").fill("0");
  await form.getByLabel("Complaint limit (%)").fill("a lot");
  await form.getByLabel("Judge after (sends)").fill("5");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByText("Choose a time zone from the list, like Europe/Paris.")).toBeVisible();
  await expect(form.getByText("The bounce limit must be at least 0.001 %.")).toBeVisible();
  await expect(form.getByText("Enter the complaint limit as a number of percent, like 2.")).toBeVisible();
  await expect(form.getByText("Judge a campaign after at least 20 sends.")).toBeVisible();
  await expectAccessible(page);

  try {
    await zone.fill("America/New_York");
    await form.getByLabel("Hard-bounce limit (%)").fill("3.5");
    await form.getByLabel("Complaint limit (%)").fill("0.25");
    await form.getByLabel("Judge after (sends)").fill("250");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Sending settings saved.")).toBeVisible();
    await page.reload();
    await expect(form.getByLabel("Workspace time zone")).toHaveValue("America/New_York");
    await expect(form.getByLabel("Hard-bounce limit (%)")).toHaveValue("3.5");
    await expect(form.getByLabel("Complaint limit (%)")).toHaveValue("0.25");
    await expect(form.getByLabel("Judge after (sends)")).toHaveValue("250");
  } finally {
    // The demo's values again, for the specs that follow.
    await form.getByLabel("Workspace time zone").fill(originalZone);
    await form.getByLabel("Hard-bounce limit (%)").fill("2");
    await form.getByLabel("Complaint limit (%)").fill("0.1");
    await form.getByLabel("Judge after (sends)").fill("100");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Sending settings saved.")).toBeVisible();
  }
});
