import http from "node:http";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { ACME_ADMIN, createLead, expectAccessible, logIn, unique } from "./helpers";

/** The suite's own receiver, on the e2e app's port + 24 (the app allows loopback only in e2e: playwright.config.ts). */
const RECEIVER_PORT = Number(process.env.E2E_PORT ?? 3100) + 24;
type Received = { headers: http.IncomingHttpHeaders; body: string };

test("an admin subscribes an endpoint, sees a signed delivery in the log and redelivers it with the same webhook-id", async ({ page }) => {
  test.setTimeout(240_000);
  const received: Received[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(RECEIVER_PORT, "127.0.0.1", resolve));
  try {
    await logIn(page, ACME_ADMIN);
    await page.goto("/settings/webhooks", { timeout: 120_000 });
    await expect(page.getByRole("heading", { name: "Add a webhook endpoint" })).toBeVisible();
    await expectAccessible(page);

    const form = page.getByRole("form", { name: "Add a webhook endpoint" });
    // A private address is refused, in words; what was typed stays.
    await form.getByLabel("Endpoint URL").fill("http://10.0.0.1/hooks");
    await form.getByLabel("lead.created").check();
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await expect(form.getByRole("alert").filter({ hasText: "not a public address" })).toBeVisible();
    await expect(form.getByLabel("Endpoint URL")).toHaveValue("http://10.0.0.1/hooks");

    const url = `http://127.0.0.1:${RECEIVER_PORT}/hooks/${unique()}`;
    await form.getByLabel("Endpoint URL").fill(url);
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await expectAccessible(page);

    // A lead added in the app is an event: it reaches the receiver, signed.
    const email = `webhook-${unique()}@example.test`;
    await createLead(page, { lastName: `Hooked ${unique()}`, email }, { timeout: 120_000 });
    await expect.poll(() => received.length, { timeout: 90_000 }).toBeGreaterThanOrEqual(1);
    const first = received[0]!;
    const headers = {
      "webhook-id": String(first.headers["webhook-id"]),
      "webhook-timestamp": String(first.headers["webhook-timestamp"]),
      "webhook-signature": String(first.headers["webhook-signature"]),
    };
    const payload = new Webhook(secret).verify(first.body, headers) as { type: string; data: { lead: { email: string } } };
    expect(payload.type).toBe("lead.created");
    expect(payload.data.lead.email).toBe(email);

    await page.goto("/settings/webhooks");
    const section = page.getByRole("region", { name: url });
    const row = section.getByRole("row", { name: /lead\.created/ });
    await expect(row).toContainText("Delivered");
    await expect(row).toContainText("HTTP 204");
    await expect(row).toContainText(headers["webhook-id"]);
    await expectAccessible(page);

    await row.getByRole("button", { name: "Redeliver lead.created" }).click();
    await expect(page.getByText("Redelivery queued, with the same webhook-id.")).toBeVisible();
    await expect.poll(() => received.length, { timeout: 90_000 }).toBe(2);
    expect(received[1]!.headers["webhook-id"]).toBe(headers["webhook-id"]);
    await page.reload();
    await expect(page.getByRole("region", { name: url }).getByRole("row", { name: /lead\.created/ })).toContainText("2 attempts");

    // Leave Acme as found: the endpoint goes, with its log.
    await page.getByRole("region", { name: url }).getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.getByText("Webhook endpoint deleted.")).toBeVisible();
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});

test("an admin edits an endpoint's URL and events, and rotates its signing secret: both sign for the grace", async ({ page }) => {
  test.setTimeout(240_000);
  const received: Received[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(RECEIVER_PORT, "127.0.0.1", resolve));
  const verifies = (secret: string, r: Received) => {
    try {
      new Webhook(secret).verify(r.body, {
        "webhook-id": String(r.headers["webhook-id"]),
        "webhook-timestamp": String(r.headers["webhook-timestamp"]),
        "webhook-signature": String(r.headers["webhook-signature"]),
      });
      return true;
    } catch {
      return false;
    }
  };
  try {
    await logIn(page, ACME_ADMIN);
    await page.goto("/settings/webhooks", { timeout: 120_000 });
    const add = page.getByRole("form", { name: "Add a webhook endpoint" });
    const firstUrl = `http://127.0.0.1:${RECEIVER_PORT}/first/${unique()}`;
    await add.getByLabel("Endpoint URL").fill(firstUrl);
    await add.getByLabel("lead.updated").check();
    await add.getByRole("button", { name: "Add endpoint" }).click();
    const oldSecret = (await page.getByTestId("webhook-secret").textContent())!.trim();

    // Edit: a private address is refused in words, keeping what was typed; then a new URL and events are saved.
    let section = page.getByRole("region", { name: firstUrl });
    await section.getByRole("button", { name: "Edit" }).click();
    const edit = section.getByRole("form", { name: `Edit ${firstUrl}` });
    await expect(edit.getByLabel("Endpoint URL")).toHaveValue(firstUrl);
    await expect(edit.getByLabel("lead.updated")).toBeChecked();
    await edit.getByLabel("Endpoint URL").fill("http://192.168.1.20/hooks");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByRole("alert").filter({ hasText: "not a public address" })).toBeVisible();
    await expect(edit.getByLabel("Endpoint URL")).toHaveValue("http://192.168.1.20/hooks");
    await expectAccessible(page);
    const url = `http://127.0.0.1:${RECEIVER_PORT}/edited/${unique()}`;
    await edit.getByLabel("Endpoint URL").fill(url);
    await edit.getByLabel("Description (optional)").fill("CRM sync");
    await edit.getByLabel("lead.updated").uncheck();
    await edit.getByLabel("lead.created").check();
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText(`Webhook endpoint saved: ${url}`)).toBeVisible();
    section = page.getByRole("region", { name: url });
    await expect(section).toContainText("CRM sync");
    await expect(section).toContainText("Events: lead.created");

    // Rotate, the old secret kept for a week instead of the default day: the new secret is shown
    // once; a delivery now verifies with the new secret and the old one.
    const grace = section.getByLabel("Old secret after rotating");
    await expect(grace).toHaveValue("24");
    await grace.selectOption({ label: "Also signs for 7 days" });
    await section.getByRole("button", { name: "Rotate signing secret" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("For the next 7 days every delivery");
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Rotate" }).click();
    await expect(page.getByText("New signing secret made: the old one also signs for 7 days.")).toBeVisible();
    await expect(section.getByText(`New signing secret for ${url}`)).toBeVisible();
    const newSecret = (await section.getByTestId("webhook-secret").textContent())!.trim();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    await expect(section).toContainText("the previous one also signs until");
    await expectAccessible(page);

    await createLead(page, { lastName: `Rotated ${unique()}`, email: `rotated-${unique()}@example.test` }, { timeout: 120_000 });
    await expect.poll(() => received.length, { timeout: 90_000 }).toBeGreaterThanOrEqual(1);
    expect(received[0]!.body).toContain('"type":"lead.created"');
    expect(verifies(newSecret, received[0]!)).toBe(true);
    expect(verifies(oldSecret, received[0]!)).toBe(true);

    // Stop the old secret at once: it is no longer offered.
    await page.goto("/settings/webhooks");
    section = page.getByRole("region", { name: url });
    await section.getByRole("button", { name: "Stop the old secret now" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Stop the old secret" }).click();
    await expect(page.getByText("Only the new signing secret signs now.")).toBeVisible();
    await expect(section.getByRole("button", { name: "Stop the old secret now" })).toHaveCount(0);

    await section.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await expect(page.getByText("Webhook endpoint deleted.")).toBeVisible();
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});
