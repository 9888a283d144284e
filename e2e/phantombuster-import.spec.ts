import { expect, test } from "@playwright/test";
import { startFakePhantomBuster, type FakePhantomBuster } from "../lib/integrations/phantombuster/testing/fake-phantombuster";
import { fakePhantomBusterPort } from "../tests/e2e-servers";
import { ACME_ADMIN, disconnectIfConnected, expectAccessible, logIn, unique } from "./helpers";

/**
 * PhantomBuster end to end against a fake (API + S3 files): an admin connects it (a wrong key
 * refused in PhantomBuster's words), opens Imports → Import from PhantomBuster, imports an
 * agent's latest result and lands on the import's page, which follows the job to its counts;
 * then "Launch and import" runs the background job (launch, durable sleeps, polls, import) in
 * the app's embedded executor.
 */
const KEY = "e2e-pb-Key_Q7wz";
const run = unique();
let fake: FakePhantomBuster;

test.describe.configure({ mode: "serial", timeout: 600_000 });
test.use({ navigationTimeout: 240_000, actionTimeout: 120_000 });

test.beforeAll(async () => {
  const header = "profileUrl,fullName,firstName,lastName,companyName,title,vmid,linkedInProfileUrl,defaultProfileUrl,isOpenLink";
  const row = (n: number) =>
    `https://www.linkedin.com/sales/lead/ACwAA${n},Pat ${n},Pat,Quinn${run}${n},Acme,Head of Sales,v${n},https://www.linkedin.com/in/ACwAA${n},https://www.linkedin.com/in/pat-${run}-${n},false`;
  fake = await startFakePhantomBuster({
    keys: [KEY],
    port: fakePhantomBusterPort(Number(process.env.E2E_PORT ?? 3100)),
    agents: [
      {
        id: "3001",
        name: `Sales Nav ${run}`,
        script: "Sales Navigator Search Export.js",
        orgS3Folder: "org-e2e",
        s3Folder: `sn-${run}`,
        files: { "result.csv": [header, row(1), row(2), row(3), row(2)].join("\n") },
        // The next run finds one more person (result.csv accumulates).
        nextFiles: { "result.csv": [header, row(1), row(2), row(3), row(2), row(4)].join("\n") },
      },
    ],
  });
  // The agent has run once, and that run finished.
  fake.containers.set("900", {
    id: "900",
    agentId: "3001",
    status: "finished",
    exitCode: 0,
    endType: "finished",
    exitMessage: null,
    launchedAt: Date.now() - 60_000,
    endedAt: Date.now() - 30_000,
    reads: 1,
  });
});
test.afterAll(async () => {
  await fake?.close();
});

test("an admin connects PhantomBuster, imports an agent's latest result (landing on the import's live page), then launches it and its result is imported when the run finishes", async ({
  page,
}) => {
  await logIn(page, ACME_ADMIN);
  // The demo seed connects Acme's PhantomBuster sandbox: this test connects the fake instead.
  await disconnectIfConnected(page, "PhantomBuster");
  await page.goto("/imports/phantombuster");
  await expect(page.getByRole("heading", { name: "PhantomBuster is not connected" })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("link", { name: "Connect it in Settings → Integrations" }).click();
  const section = page.getByRole("region", { name: "PhantomBuster" });
  const connect = page.getByRole("form", { name: "Connect PhantomBuster" });
  await connect.getByLabel("PhantomBuster API key").fill("wrong-pb-key");
  await connect.getByRole("button", { name: "Connect" }).click();
  await expect(connect.getByRole("alert")).toHaveText(
    "PhantomBuster refused the API key (“Invalid API key”). Copy the key from PhantomBuster (Workspace settings → API keys) and save it here.",
  );
  await expect(section.getByText("Not connected")).toBeVisible();
  await connect.getByLabel("PhantomBuster API key").fill(KEY);
  await connect.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByText("PhantomBuster connected with the key ••••Q7wz.")).toBeVisible();
  await expectAccessible(page);

  await page.goto("/imports");
  await page.getByRole("link", { name: "Import from PhantomBuster" }).click();
  const agents = page.getByRole("table", { name: "PhantomBuster agents" });
  const agentRow = agents.getByRole("row", { name: new RegExp(`Sales Nav ${run}`) });
  await expect(agentRow).toContainText("Sales Navigator Search Export");
  await expect(agentRow).toContainText("Finished");
  await expectAccessible(page);
  // The agents' arguments (their LinkedIn session cookies) never reach the browser.
  expect(await page.content()).not.toContain("sessionCookie");

  await agentRow.getByRole("button", { name: `Import the latest result of Sales Nav ${run}` }).click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 120_000 });
  await expect(page.getByText(`PhantomBuster – Sales Nav ${run} – result.csv`).first()).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("aria-valuenow", "100", { timeout: 120_000 });
  await expect(page.getByText("Completed", { exact: true })).toBeVisible();
  await expect(page.getByTestId("count-inserted").locator("dd")).toHaveText("3");
  await expect(page.getByTestId("count-skipped").locator("dd")).toHaveText("1");
  await expectAccessible(page);

  // Launch and import: the job launches the agent, sleeps, polls the run to its end, imports.
  await page.goto("/imports/phantombuster");
  await page.getByRole("button", { name: `Launch Sales Nav ${run} and import its result` }).click();
  await expect(page.getByText(new RegExp(`^Launching Sales Nav ${run}: its result is imported when the run finishes`))).toBeVisible();
  await expect.poll(() => fake.requests.filter((r) => r.method === "POST" && r.path === "/agents/launch").length).toBe(1);
  await page.goto("/imports");
  const history = page.getByRole("region", { name: "Import history" });
  const entries = history.getByRole("row").filter({ hasText: `PhantomBuster – Sales Nav ${run} – result.csv` });
  await expect(async () => {
    await page.reload();
    await expect(entries).toHaveCount(2, { timeout: 1_000 });
    await expect(entries.first()).toContainText("Completed", { timeout: 1_000 });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  // Only the new person is new: the four earlier rows are skipped.
  await expect(entries.first().locator("td").nth(6)).toHaveText("1");
});
