import { expect, test, type Page } from "@playwright/test";
import { startFakeApollo, type FakeApollo } from "../lib/integrations/apollo/testing/fake-apollo";
import { fakeApolloPort } from "../tests/e2e-servers";
import { ACME_ADMIN, disconnectIfConnected, expectAccessible, logIn } from "./helpers";

/** Not a master key: Apollo lets it enrich, not search. */
const KEY = "e2e-apollo-Key_7Hq2xW9p";
const NEW_KEY = "e2e-apollo-Rotated_3Vb8";
let fake: FakeApollo;

test.beforeAll(async () => {
  fake = await startFakeApollo({ keys: [KEY], masterKeys: [NEW_KEY], port: fakeApolloPort(Number(process.env.E2E_PORT ?? 3100)) });
});
test.afterAll(async () => {
  await fake?.close();
});

/** Everything the server answers this page with: documents, RSC payloads, server action results. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (!/html|json|text\/x-component|text\/plain/.test(type)) return;
    bodies.push(await response.text().catch(() => ""));
  });
  return bodies;
}

test("an admin connects Apollo with a checked key that never comes back, rotates it, checks it and disconnects", async ({ page }) => {
  test.setTimeout(240_000);
  const bodies = recordResponses(page);
  await logIn(page, ACME_ADMIN);
  await disconnectIfConnected(page, "Apollo.io");
  await page.goto("/settings/integrations", { timeout: 120_000 });
  await expect(page.getByRole("link", { name: "Integrations" })).toBeVisible();
  const apollo = page.getByRole("region", { name: "Apollo.io" });
  await expect(apollo.getByText("Not connected")).toBeVisible();
  await expectAccessible(page);

  // A wrong key: Apollo was asked, and its refusal is said in words next to the field.
  const connect = page.getByRole("form", { name: "Connect Apollo.io" });
  await connect.getByLabel("Apollo.io API key").fill("wrong-key-0000");
  await connect.getByRole("button", { name: "Connect" }).click();
  await expect(connect.getByRole("alert")).toHaveText(
    "Apollo refused the API key (“Invalid access credentials.”). Copy the key again from Apollo (Settings → Integrations → API keys) and save it here.",
  );
  expect(fake.requests.at(-1)).toMatchObject({ path: "/auth/health", apiKey: "wrong-key-0000" });
  await expect(apollo.getByText("Not connected")).toBeVisible();
  await expectAccessible(page);

  await connect.getByLabel("Apollo.io API key").fill(KEY);
  await connect.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText("Apollo.io connected with the key ••••xW9p.")).toBeVisible();
  const status = apollo.getByRole("definition");
  await expect(apollo.getByText("Connected", { exact: true })).toBeVisible();
  await expect(status.first()).toHaveText("••••xW9p");
  await expect(apollo.getByRole("note")).toHaveText(
    "This key cannot do everything the app asks of Apollo.io: People Search needs a master API key. Rotate in a key that can.",
  );
  await expectAccessible(page);

  // Apollo down during a rotation (both tries of the check): the form says so and keeps the old key.
  const rotate = page.getByRole("form", { name: "Rotate the Apollo.io key" });
  fake.fail({ path: "/auth/health", status: 503 }, { path: "/auth/health", status: 503 });
  await rotate.getByLabel("New Apollo.io API key").fill(NEW_KEY);
  await rotate.getByRole("button", { name: "Rotate key" }).click();
  await expect(rotate.getByRole("alert")).toHaveText(
    /^Apollo.* is not answering properly \(HTTP 503 on 2 attempts\)\. Nothing was saved; try again later\.$/,
  );
  await expect(status.first()).toHaveText("••••xW9p");
  await expectAccessible(page);

  await rotate.getByRole("button", { name: "Rotate key" }).click();
  await expect(page.getByText("Apollo.io now uses the key ••••3Vb8.")).toBeVisible();
  await expect(status.first()).toHaveText("••••3Vb8");
  await expect(rotate.getByLabel("New Apollo.io API key")).toHaveValue("");

  const asked = fake.requests.length;
  const checkNow = apollo.getByRole("button", { name: "Check now" });
  await checkNow.click();
  await expect(page.getByText("Apollo.io answered: the key works.")).toBeVisible();
  // Busy while it asked, never disabled: the button kept the focus.
  await expect(checkNow).toBeFocused();
  expect(fake.requests.slice(asked).map((r) => [r.path, r.apiKey])).toEqual([
    ["/auth/health", NEW_KEY],
    ["/mixed_people/api_search", NEW_KEY],
  ]);
  await expect(apollo.getByRole("note")).toHaveCount(0);

  await page.reload();
  await expect(status.first()).toHaveText("••••3Vb8");
  const html = await page.content();
  for (const key of [KEY, NEW_KEY]) {
    expect(html).not.toContain(key);
    for (const body of bodies) expect(body.includes(key), `a response carried the key ${key}`).toBe(false);
  }
  expect(bodies.length).toBeGreaterThan(5);

  await apollo.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByRole("alertdialog", { name: "Disconnect Apollo.io?" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByText("Apollo.io disconnected; its key was deleted.")).toBeVisible();
  await expect(apollo.getByText("Not connected")).toBeVisible();
  await expect(page.getByRole("form", { name: "Connect Apollo.io" })).toBeVisible();
});

test("an admin without a key connects the Apollo sandbox, labelled as sample data, and checks it through the app's own sandbox", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await logIn(page, ACME_ADMIN);
  await disconnectIfConnected(page, "Apollo.io");
  const apollo = page.getByRole("region", { name: "Apollo.io" });
  await apollo.getByRole("button", { name: "Connect the sandbox" }).click();
  await expect(page.getByText("Apollo.io sandbox connected: everything it shows is sample data.")).toBeVisible();
  await expect(apollo.getByText("Sandbox: sample data")).toBeVisible();
  await expect(apollo.getByText(/every person, company and credit it shows is invented sample data/)).toBeVisible();
  await expect(apollo.getByText("Sandbox key")).toBeVisible();
  await expectAccessible(page);

  const requestsBefore = fake.requests.length;
  await apollo.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByText("Apollo.io answered: the key works.")).toBeVisible();
  // Answered by the app's sandbox route, not by the (fake) vendor.
  expect(fake.requests.length).toBe(requestsBefore);

  await apollo.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(apollo.getByText("Not connected")).toBeVisible();
});

test("a sales rep has no Integrations tab and is refused the page", async ({ page }) => {
  await logIn(page, "rep@acme.test");
  await page.goto("/settings");
  await expect(page.getByRole("link", { name: "Sending" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Integrations" })).toHaveCount(0);
  await page.goto("/settings/integrations");
  await expect(page).toHaveURL(/\/forbidden/);
});
