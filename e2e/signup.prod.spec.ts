import { expect, test } from "@playwright/test";
import { createDataDir, runSetupCli, startApp, type AppDataDir, type AppProcess } from "./app-process";
import { startFakeResend } from "./fake-resend";
import { expectAccessible, unique } from "./helpers";

/**
 * A production deployment set up from the terminal (`npm run setup`), with real email (Resend,
 * here a local stand-in) and AUTH_ENABLE_SIGNUP on: a stranger signs up, confirms by email,
 * and starts a workspace of their own from /no-workspace, seeing nobody else's.
 */
test.describe.configure({ mode: "serial", timeout: 240_000 });

let data: AppDataDir;
let app: AppProcess | undefined;
let resend: Awaited<ReturnType<typeof startFakeResend>>;
const owner = `owner-${unique()}@example.com`;

test.beforeAll(async () => {
  data = await createDataDir();
  resend = await startFakeResend();
});
test.afterAll(async () => {
  await app?.stop();
  await resend?.close();
  await data?.remove();
});

test("npm run setup creates the first workspace and admin once, and refuses a second time", async () => {
  const short = await runSetupCli(data, ["--email", owner, "--workspace", "Owner Co"], "short");
  expect(short.code).toBe(2);
  expect(short.output).toContain("Use at least 8 characters.");

  const first = await runSetupCli(data, ["--email", owner, "--workspace", "Owner Co"], "owner-pass-123");
  expect(first.output).toContain(`Created the workspace "Owner Co" and its admin ${owner}.`);
  expect(first.code).toBe(0);

  const again = await runSetupCli(data, ["--email", `second-${unique()}@example.com`, "--workspace", "Second Co"], "second-pass-123");
  expect(again.code).toBe(1);
  expect(again.output).toContain("This installation is already set up.");
});

test("with AUTH_ENABLE_SIGNUP a stranger signs up, confirms by email, and becomes the admin of a workspace of their own", async ({
  page,
}) => {
  app = await startApp(data, { AUTH_ENABLE_SIGNUP: "true", RESEND_API_KEY: "re_e2e_fake_key", RESEND_BASE_URL: resend.url });
  expect(app.output()).not.toContain("/setup");
  const email = `newcomer-${unique()}@example.com`;

  await page.goto(`${app.url}/login`);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(`${app.url}/signup`);
  await page.getByLabel("Your name").fill("Nora Newcomer");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill("newcomer-pass-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText(`Check ${email}`);

  await expect.poll(() => resend.sent.filter((m) => m.to.includes(email)).length).toBe(1);
  const mail = resend.sent.find((m) => m.to.includes(email))!;
  const link = /href="([^"]*\/auth\/confirm\?[^"]*)"/.exec(mail.html)?.[1]?.replaceAll("&amp;", "&");
  expect(link).toBeTruthy();

  await page.goto(link!);
  await expect(page).toHaveURL(/\/no-workspace$/);
  await expectAccessible(page);
  await page.getByLabel("Workspace name").fill("Nora's Team");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByTestId("current-workspace")).toHaveText("Nora's Team");
  await expect(page.getByRole("button", { name: "Switch workspace" })).toContainText("Admin");

  const members = await app.sql<{ email: string; role: string; workspace: string }[]>`
    select u.email, m.role::text as role, w.name as workspace
    from public.workspace_members m join auth.users u on u.id = m.user_id join public.workspaces w on w.id = m.workspace_id
    order by w.name`;
  expect(members).toEqual([
    { email, role: "admin", workspace: "Nora's Team" },
    { email: owner, role: "admin", workspace: "Owner Co" },
  ]);
});
