import { expect, test } from "@playwright/test";
import { startFakeInstantly, type FakeInstantly } from "../lib/integrations/instantly/testing/fake-instantly";
import { fakeInstantlyPort } from "../tests/e2e-servers";
import { ACME_ADMIN, disconnectIfConnected, expectAccessible, logIn } from "./helpers";

const KEY = "e2e-instantly-Key_4Rt9";
let fake: FakeInstantly;

test.beforeAll(async () => {
  fake = await startFakeInstantly({
    keys: { [KEY]: ["all:all"] },
    port: fakeInstantlyPort(Number(process.env.E2E_PORT ?? 3100)),
    data: {
      campaigns: [{ id: "c-e2e", name: "E2E campaign", status: 1 }],
      leads: [{ id: "l-e2e", email: "someone@example.test", status: 1 }],
    },
  });
});
test.afterAll(async () => {
  await fake?.close();
});

test("an admin connects Instantly with a checked key (a wrong one refused in words), and Sync now runs the sync", async ({ page }) => {
  test.setTimeout(240_000);
  await logIn(page, ACME_ADMIN);
  await disconnectIfConnected(page, "Instantly");
  const instantly = page.getByRole("region", { name: "Instantly" });
  await expect(instantly.getByText("Not connected")).toBeVisible();
  // Without a key, the sandbox is offered beside the key form (e2e/instantly-sandbox.spec.ts uses it).
  await expect(instantly.getByRole("button", { name: "Connect the sandbox" })).toBeVisible();

  const connect = page.getByRole("form", { name: "Connect Instantly" });
  await connect.getByLabel("Instantly API key").fill("wrong-instantly-key");
  await connect.getByRole("button", { name: "Connect" }).click();
  await expect(connect.getByRole("alert")).toHaveText(
    "Instantly refused the API key (“Invalid API key”). Create or copy an API v2 key in Instantly (Settings → Integrations → API Keys) and save it here (v1 keys do not work).",
  );
  expect(fake.requests.at(-1)).toMatchObject({ path: "/campaigns", authorization: "Bearer wrong-instantly-key" });
  await expectAccessible(page);

  await connect.getByLabel("Instantly API key").fill(KEY);
  await connect.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText("Instantly connected with the key ••••4Rt9.")).toBeVisible();
  await expect(instantly.getByText("Connected", { exact: true })).toBeVisible();

  fake.requests.length = 0;
  await instantly.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByText("Instantly sync queued: it runs in the background and shows on the Jobs page.")).toBeVisible();
  // The app's executor runs the sync against the fake: every resource is read, the emails last.
  await expect.poll(() => fake.requests.map((r) => r.path), { timeout: 60_000 }).toContain("/emails");
  expect(new Set(fake.requests.map((r) => r.path))).toEqual(
    new Set(["/campaigns", "/accounts", "/campaigns/analytics/daily", "/leads/list", "/emails"]),
  );
  await expectAccessible(page);
});
