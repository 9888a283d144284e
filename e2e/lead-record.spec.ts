import { expect, test, type Page, type Request } from "@playwright/test";
import { ACME_VIEWER, GLOBEX_ADMIN, createLead, expectAccessible, expectHydrated, logIn, unique } from "./helpers";

const ACME_REP = "rep@acme.test";

// Each test compiles the lead pages it meets for the first time in next dev: on a busy 2-core
// machine that alone can take a minute.
test.describe.configure({ timeout: 180_000 });

const timeline = (page: Page) => page.getByTestId("lead-timeline");

test("a rep adds a lead, changes its status, edits a field and adds a note; a second add of the address points to it", async ({ page }) => {
  const email = `ines.moreau-${unique()}@example.test`;
  await logIn(page, ACME_REP);
  await page.goto("/leads/new");
  await expectAccessible(page);
  // A zone the app does not know is refused with "Choose a time zone from the list": there is one to choose from.
  const zones = await page.getByLabel("Time zone").getAttribute("list");
  await expect(page.locator(`datalist[id="${zones}"] option[value="Europe/Paris"]`)).toHaveCount(1);
  const leadUrl = await createLead(page, { firstName: "Inès", lastName: "Moreau", email });
  await expect(timeline(page)).toContainText("added this lead");
  await expect(page.getByTestId("lead-profile")).toContainText(`${email}Unverified`);
  await expect(page.getByTestId("lead-profile")).toContainText("SourceManual");
  await expectAccessible(page);

  // From the keyboard: the arrow saves the next status, and the menu keeps the focus meanwhile.
  const status = page.getByLabel("Status", { exact: true });
  await status.focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByText("Status changed to Contacted.")).toBeVisible();
  await expect(timeline(page)).toContainText("moved the status from New to Contacted");
  await expect(status).toHaveValue("contacted");
  await expect(status).toBeFocused();

  await page.locator("summary", { hasText: "Edit lead" }).click();
  const form = page.getByRole("form", { name: "Edit lead" });
  await form.getByLabel("Time zone").fill("Mars/Olympus");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByText("Choose a time zone from the list, like Europe/Paris or America/New_York.")).toBeVisible();
  // The field with the error takes the focus, wherever it is in the form.
  await expect(form.getByLabel("Time zone")).toBeFocused();
  await form.getByLabel("Time zone").fill("Europe/Paris");
  await form.getByLabel("Title").fill("Head of Growth");
  await form.getByLabel("Tags").fill("vip, event-2026");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Lead saved.")).toBeVisible();
  await expect(timeline(page)).toContainText("set Title to “Head of Growth”");
  await expect(timeline(page)).toContainText("set Time zone to “Europe/Paris”");
  await expect(timeline(page)).toContainText("added tags vip, event-2026");
  await expect(page.getByTestId("lead-profile")).toContainText("Head of Growth");
  // The lead's own clock beside its zone, for choosing when to call.
  await expect(page.getByTestId("lead-profile")).toContainText(/Europe\/Paris · \d\d:\d\d( [AP]M)? there/);

  // A note is shown as the text it is, markup included.
  const note = "Called <b>twice</b>; call back Tuesday";
  await page.getByLabel("Note", { exact: true }).fill(note);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(timeline(page).getByText(note, { exact: true })).toBeVisible();
  await expect(timeline(page).locator("b")).toHaveCount(0);
  // The button keeps the focus through the save: a keyboard user carries on from where they were.
  await expect(page.getByRole("button", { name: "Add note" })).toBeFocused();
  await expectAccessible(page);

  // The same address in other case and spacing: the form points to the lead instead of adding one.
  await page.goto("/leads/new");
  await page.getByLabel("First name").fill("Someone");
  await page.getByLabel("Email").fill(`  ${email.toUpperCase()} `);
  await page.getByRole("button", { name: "Add lead" }).click();
  const duplicate = page.getByTestId("duplicate-lead");
  await expect(duplicate).toContainText("Inès Moreau already has this email address.");
  await expectAccessible(page);
  await duplicate.getByRole("link", { name: "Open Inès Moreau" }).click();
  await expect(page).toHaveURL(leadUrl);
});

test("a viewer sees no edit controls, and replaying a rep's edit request with the viewer's session is refused", async ({
  page,
  browser,
}) => {
  await logIn(page, ACME_REP);
  const leadUrl = await createLead(page, { firstName: "Ana", lastName: `Forge ${unique()}`, email: `ana-${unique()}@example.test` });

  // The rep's own status change, as the browser sends it to the server action.
  const [request] = await Promise.all([
    page.waitForRequest((r: Request) => r.method() === "POST" && !!r.headers()["next-action"]),
    page.getByLabel("Status", { exact: true }).selectOption("won"),
  ]);
  await expect(timeline(page)).toContainText("moved the status from New to Won");
  await page.getByLabel("Status", { exact: true }).selectOption("replied");
  await expect(timeline(page)).toContainText("moved the status from Won to Replied");

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await logIn(viewer, ACME_VIEWER);
  await viewer.goto(leadUrl);
  await expect(viewer.getByTestId("lead-profile")).toBeVisible();
  await expect(viewer.getByTestId("lead-status")).toHaveText("Status: Replied");
  await expect(viewer.getByLabel("Status", { exact: true })).toHaveCount(0);
  await expect(viewer.getByLabel("Owner")).toHaveCount(0);
  await expect(viewer.getByText("Edit lead")).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Add note" })).toHaveCount(0);
  await expectAccessible(viewer);

  // The viewer replays the rep's request (status → Won) with their own cookies.
  const headers = request.headers();
  const forged = await viewer.request.post(request.url(), {
    headers: {
      "next-action": headers["next-action"]!,
      "content-type": headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: headers["accept"] ?? "text/x-component",
      origin: new URL(request.url()).origin,
      ...(headers["next-router-state-tree"] ? { "next-router-state-tree": headers["next-router-state-tree"] } : {}),
    },
    data: request.postData() ?? "",
  });
  expect(forged.status()).toBe(200);
  const answer = await forged.text();
  expect(answer).toContain('"code":"forbidden"');
  expect(answer).toContain("Your role does not allow this.");

  await viewer.reload();
  await expect(viewer.getByTestId("lead-status")).toHaveText("Status: Replied");
  await expect(timeline(viewer).getByText("moved the status from Replied to Won")).toHaveCount(0);
  await viewerContext.close();
});

test("an edit made after someone else's is refused with who and when, and another workspace's lead is not found", async ({
  page,
  context,
  browser,
}) => {
  await logIn(page, ACME_REP);
  const leadUrl = await createLead(page, { firstName: "Léa", lastName: `Conflict ${unique()}`, email: `lea-${unique()}@example.test` });
  const other = await context.newPage();
  await other.goto(leadUrl);

  // The second tab is typing when the first one saves.
  await other.locator("summary", { hasText: "Edit lead" }).click();
  const form = other.getByRole("form", { name: "Edit lead" });
  await form.getByLabel("City").fill("Lyon");

  await page.locator("summary", { hasText: "Edit lead" }).click();
  await page.getByRole("form", { name: "Edit lead" }).getByLabel("Title").fill("COO");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Lead saved.")).toBeVisible();

  // The save reaches the second tab live: its typing is kept, and it says the lead changed.
  await expect(form.getByRole("status")).toContainText("This lead was changed elsewhere while you were editing. Your edits are kept", {
    timeout: 20_000,
  });
  await expect(form.getByLabel("City")).toHaveValue("Lyon");
  await expect(timeline(other)).toContainText("set Title to “COO”");
  // Saving it is still checked against the version it started from.
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByRole("alert")).toContainText(
    /^You \(in another tab or window\) changed this lead moments ago \(.+ UTC\), after you opened it\./,
  );
  await form.getByRole("button", { name: "Load the latest version" }).click();
  await expect(form.getByLabel("Title")).toHaveValue("COO");
  await expect(form.getByLabel("City")).toHaveValue("");
  await expect(timeline(other).getByText("set City to", { exact: false })).toHaveCount(0);

  const globex = await browser.newContext();
  const outsider = await globex.newPage();
  await logIn(outsider, GLOBEX_ADMIN);
  // A 404, not a 200 page that says Not found: a loading boundary above the page would stream the
  // 200 status before the page's notFound() runs (hence the list's skeleton in its route group).
  const response = await outsider.goto(leadUrl);
  expect(response?.status()).toBe(404);
  await expect(outsider.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(outsider.getByText("Léa")).toHaveCount(0);
  await globex.close();
});

test("Edit lead opened before the page's code has loaded stays open, and the page hydrates without a mismatch", async ({ page }) => {
  await logIn(page, ACME_REP);
  const leadUrl = await createLead(page, { firstName: "Óscar", lastName: `Early ${unique()}` });
  const mismatches: string[] = [];
  page.on("console", (message) => message.type() === "error" && /hydrat/i.test(message.text()) && mismatches.push(message.text()));

  // Every script held back: the page is the server's HTML, as on a slow phone before its code arrives.
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/*.js", async (route) => {
    await released;
    await route.continue();
  });
  // Not until "domcontentloaded": the held scripts hold it.
  await page.goto(leadUrl, { waitUntil: "commit" });
  const summary = page.locator("summary", { hasText: "Edit lead" });
  await summary.click();
  await expect(page.getByRole("form", { name: "Edit lead" })).toBeVisible();

  release();
  await expectHydrated(summary, "the page");
  // React reports a mismatch as it commits the hydrated tree; a moment for the console to carry it.
  await page.waitForTimeout(1_000);
  expect(mismatches).toEqual([]);
  await expect(page.getByRole("form", { name: "Edit lead" })).toBeVisible();
});

test("a rep adds a lead at a company named in the New lead form, links another lead to it by a fragment typed without accents, and unlinks it", async ({
  page,
}) => {
  const company = `Société Zoë ${unique()}`;
  // The company card, linked (named after its company) or not.
  const card = page.locator('section[aria-labelledby="lead-company-heading"]');
  await logIn(page, ACME_REP);

  // The New lead form names a company no one has added yet.
  await page.goto("/leads/new");
  await page.getByLabel("Last name").fill(`Lindqvist ${unique()}`);
  const newLeadPicker = page.getByRole("combobox", { name: "Company" });
  await newLeadPicker.fill(company);
  await page.getByRole("option", { name: `Add “${company}” as a new company` }).click();
  await page.getByRole("button", { name: "Add lead" }).click();
  await expect(page).toHaveURL(/\/leads\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await expect(card.getByRole("link", { name: company })).toBeVisible();
  await expect(card).toContainText("1 lead at this company");

  // Another lead's edit form finds it.
  await createLead(page, { lastName: `Okafor ${unique()}` });
  await page.locator("summary", { hasText: "Edit lead" }).click();
  const form = page.getByRole("form", { name: "Edit lead" });
  const picker = form.getByRole("combobox", { name: "Company" });
  // Lower case, no accents, and the arrow keys: the company added above is offered with its lead.
  await picker.fill(company.toLowerCase().replace("é", "e").replace("ë", "e"));
  const offered = form.getByRole("option", { name: new RegExp(`^${company}\\s*1 lead$`) });
  await expect(offered).toBeVisible();
  await expectAccessible(page);
  await picker.press("ArrowDown");
  await expect(offered).toHaveAttribute("aria-selected", "true");
  await picker.press("Enter");
  await expect(picker).toHaveValue(company);
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(card).toContainText("2 leads at this company");
  await expect(timeline(page)).toContainText(`set Company to “${company}”`);

  // Typing that was never chosen is refused on the field and kept; a cleared field unlinks.
  await picker.fill("Somewhere I never chose");
  await picker.press("Escape");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByText("Choose a company from the list, or clear the field for none.")).toBeVisible();
  await expect(picker).toHaveValue("Somewhere I never chose");
  await expect(card).toContainText("2 leads at this company");
  await picker.fill("");
  await picker.press("Escape");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(card).toContainText("No company linked.");
  await expect(timeline(page)).toContainText(`cleared Company (was “${company}”)`);
});
