import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, watch, type FSWatcher } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPostmasterPid } from "@/lib/local/cluster-state";
import { isLiveProcess } from "@/lib/local/live-process";
import { freePort } from "@/lib/local/free-port";

/**
 * `npm run dev` as a user runs it, in its own process group as a terminal gives it: a second
 * start while it runs, Ctrl-C / SIGTERM / SIGHUP to the group, and a start after `kill -9`.
 * (The embedded PostgreSQL runs in a group of its own: a signal to the group reaches the
 * launcher, which stops it last.)
 * Its build dir is .next-test (listed in tsconfig.json, so Next leaves that file alone).
 */
const root = path.resolve(import.meta.dirname, "..");
const START_MS = 240_000;

type App = { child: ChildProcess; pgid: number; output: () => string; exited: Promise<number | null> };

let env: NodeJS.ProcessEnv;
let dataDir: string;

beforeAll(async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "lip-launch-"));
  await chmod(tmp, 0o755); // PostgreSQL runs as the postgres user
  dataDir = path.join(tmp, "data");
  const port = await freePort();
  env = {
    ...process.env,
    PORT: String(port),
    APP_URL: `http://localhost:${port}`,
    EMBEDDED_PG_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    NEXT_DIST_DIR: ".next-test",
    NODE_ENV: "development",
    // The embedded defaults, as on a fresh machine, whatever the test process was given.
    DATABASE_URL: "",
    NEXT_PUBLIC_SUPABASE_URL: "",
    NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
    SUPABASE_SERVICE_ROLE_KEY: "",
    LOCAL_AUTH_SIGNING_JWK: "",
    ENCRYPTION_KEY: "",
    LOCAL_RESEND_API_KEY: "",
  };
  return () => rm(tmp, { recursive: true, force: true });
});

function run(): App {
  const child = spawn("npm", ["run", "dev"], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += String(chunk)));
  child.stderr!.on("data", (chunk) => (text += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, pgid: child.pid!, output: () => text, exited };
}

async function until(check: () => boolean, ms: number, what: string, app?: App): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms${app ? `; output:\n${app.output()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function started(app: App = run()): Promise<App> {
  let gone = false;
  void app.exited.then(() => (gone = true));
  await until(() => app.output().includes("Lead Intelligence Panel is ready") || gone, START_MS, "the banner", app);
  if (gone) throw new Error(`npm run dev exited:\n${app.output()}`);
  return app;
}

async function untilNotAnswering(ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (await health().catch(() => null)) {
    if (Date.now() > deadline) throw new Error(`the app still answered ${ms} ms after its launcher was killed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Processes still in the group, zombies aside (their parent has exited; init reaps them). */
function members(pgid: number): string[] {
  return execFileSync("ps", ["-e", "-o", "pgid=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => Number(line.split(/\s+/)[0]) === pgid && !line.split(/\s+/)[1]?.startsWith("Z"));
}

const turbopackCache = () => path.join(root, ".next-test", "dev", "cache", "turbopack");
/** Held by `next dev` while it runs and deleted at the end of its clean stop; a killed server leaves it. */
const devLock = () => path.join(root, ".next-test", "dev", "lock");

/** HMR messages with which the dev server tells an open page that it compiled, updated or must reload. */
const COMPILE_MESSAGE = /"type":"(building|built|turbopack-message|serverComponentChanges|reloadPage)"/;

/**
 * Opens /login in Chromium, counts its document loads for a few seconds, runs `meanwhile` with
 * the page open (returning the compile messages the page got while it ran), then logs in.
 */
async function logInThroughLoginPage(
  meanwhile?: () => Promise<void>,
): Promise<{ navigations: number; landedOn: string; compiledMeanwhile: string[] }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    let navigations = 0;
    page.on("request", (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations++;
    });
    const messages: { at: number; text: string }[] = [];
    page.on("websocket", (socket) => socket.on("framereceived", ({ payload }) => messages.push({ at: Date.now(), text: String(payload) })));
    await page.goto(`${env.APP_URL}/login`, { timeout: 120_000 });
    await page.waitForTimeout(5_000);
    const compiledMeanwhile = meanwhile ? await compileMessagesDuring(page, messages, meanwhile) : [];
    const loads = navigations;
    await page.getByLabel("Work email").fill("admin@acme.test");
    await page.getByLabel("Password", { exact: true }).fill("demo-pass-2026");
    await page.getByRole("button", { name: "Log in" }).click();
    // Generous: compiling Home afresh (a cache cleared by the launcher, or a first start) took
    // over a minute on this shared machine under load.
    await page.waitForURL((url) => url.pathname === "/", { timeout: 150_000 });
    return { navigations: loads, landedOn: new URL(page.url()).pathname, compiledMeanwhile };
  } finally {
    await browser.close();
  }
}

/**
 * The output without Next's report of a response whose reader went away mid-stream (the
 * browser closed while /leads was still streaming): it says nothing about how the app stops.
 */
function withoutAbortedResponses(output: string): string {
  return output.replace(/⨯ Error: The destination stream errored while writing data\.[^]*?\n\}\n/g, "");
}

/** Once the page's own compiles have settled (no message for 2 s), what `action` sets off. */
async function compileMessagesDuring(page: Page, messages: { at: number; text: string }[], action: () => Promise<void>): Promise<string[]> {
  const settleBy = Date.now() + 30_000;
  while (Date.now() < settleBy && Date.now() - (messages.at(-1)?.at ?? 0) < 2_000) await page.waitForTimeout(250);
  const from = messages.length;
  await action();
  await page.waitForTimeout(3_000); // a file event reaches the page in well under a second
  return messages
    .slice(from)
    .map((message) => message.text)
    .filter((text) => COMPILE_MESSAGE.test(text));
}

/** What `next build` with NEXT_DIST_DIR=.next-e2e-prod leaves in next-env.d.ts (Next.js 16.4.5). */
const NEXT_ENV_OF_ANOTHER_BUILD = [
  '/// <reference types="next" />',
  '/// <reference types="next/image-types/global" />',
  'import "./.next-e2e-prod/types/routes.d.ts";',
  'import "./.next-e2e-prod/types/root-params.d.ts";',
  "",
  "// NOTE: This file should not be edited",
  "// see https://nextjs.org/docs/app/api-reference/config/typescript for more information.",
  "",
].join("\n");
const nextEnvFile = path.join(root, "next-env.d.ts");

/** Changes to next-env.d.ts after this launch's Next printed its first line ("▲ Next.js …"). */
function watchNextEnvWrites(app: App): { writesAfterNextStarted: () => number; close: () => void } {
  let writes = 0;
  const watcher: FSWatcher = watch(root, (_event, file) => {
    if (file === "next-env.d.ts" && /▲ Next\.js/.test(app.output())) writes++;
  });
  return { writesAfterNextStarted: () => writes, close: () => watcher.close() };
}

const health = async () => (await fetch(`${env.APP_URL}/api/health`)).status;

/**
 * Next compiles a route on its first request in each process, and tells every open page so with
 * a "built". The app requests some routes of its own in the background, at times of the demo's
 * choosing (the outbox's webhooks, the executor's calls to the local Resend API, the launcher's
 * health check): requested here first, so the compile messages counted are the file changes' own.
 */
async function compileBackgroundRoutes(): Promise<void> {
  for (const [method, route] of [
    ["POST", "/api/webhooks/resend"],
    ["GET", "/api/local-resend/emails"],
    ["GET", "/api/health"],
  ] as const) {
    await fetch(`${env.APP_URL}${route}`, { method });
  }
}

/** Sends `signal` to the whole group (as a terminal does) and waits for every process of it to end. */
async function stopWith(app: App, signal: NodeJS.Signals): Promise<number> {
  const sent = Date.now();
  process.kill(-app.pgid, signal);
  await app.exited;
  await until(() => members(app.pgid).length === 0, 10_000, `every process of the group ending after ${signal}`);
  return Date.now() - sent;
}

let app: App | null = null;
afterAll(() => {
  if (app && members(app.pgid).length > 0) process.kill(-app.pgid, "SIGKILL");
});

describe.sequential("npm run dev, started and stopped as a user does", { timeout: START_MS + 60_000 }, () => {
  it("refuses a second start while it runs, saying where the app is, and the first keeps serving", async () => {
    app = await started();
    const second = run();
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`The app is already running from this directory at ${env.APP_URL}`);
    expect(second.output()).not.toMatch(/is ready|job executor started/);
    expect(members(second.pgid)).toEqual([]);
    expect(await health()).toBe(200);
  });

  it("sends the emails the demo queued at start-up on their first attempt: none waited for the outbox's route to compile until it timed out", async () => {
    // The seed queued notification emails and the demo campaign's first steps: the executor sends
    // them as soon as it starts, each through the outbox's Resend API (a route `next dev` compiles
    // on its first request). The launcher starts the executor only once that route has answered.
    const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/lip`, { max: 1, onnotice: () => {} });
    try {
      const pending = async () =>
        Number(
          (
            await sql`select count(*)::int as n from public.job_runs
              where function_id = 'email-notifications' and status not in ('completed', 'failed', 'cancelled')`
          )[0]!.n,
        );
      const deadline = Date.now() + 60_000;
      while ((await pending()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      const [runs] =
        await sql`select count(*)::int as n from public.job_runs where function_id = 'email-notifications' and status = 'completed'`;
      expect(runs!.n).toBeGreaterThan(0);
      const retried = await sql`
        select r.function_id, s.step_id, s.attempt_errors::text as errors from public.job_steps s join public.job_runs r on r.id = s.run_id
        where r.function_id in ('email-notifications', 'run-enrollment-sequence') and s.attempt_errors <> '[]'::jsonb`;
      expect([...retried]).toEqual([]);
      const [failed] = await sql`select count(*)::int as n from public.email_messages where status = 'failed'`;
      expect(failed!.n).toBe(0);
    } finally {
      await sql.end();
    }
    expect(app!.output()).not.toMatch(/\[email\] send failed/);
  });

  it("stops Next, the job executor and PostgreSQL on Ctrl-C within seconds once the app has been used, leaving no process and no lock of a killed Next", async () => {
    // Used as a person uses it: a server that has compiled and served pages takes longer to
    // clean up than the 100 ms `next dev` gives it by default before killing it.
    expect((await logInThroughLoginPage()).landedOn).toBe("/");
    const ms = await stopWith(app!, "SIGINT");
    expect(withoutAbortedResponses(app!.output())).not.toMatch(/Error|ECONNREFUSED|\[postgres\]/);
    expect(ms).toBeLessThan(8_000);
    // A clean PostgreSQL shutdown removes its postmaster.pid; a killed server leaves it.
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
    // Likewise Next's lock: left behind, the next start would take this stop for a crash.
    expect(existsSync(devLock())).toBe(false);
  });

  it("after a clean stop and a build of another dist dir, starts without rewriting the project's files under Next, keeps the compile cache, and /login loads once, stays put while files change in the checkout, and logs in", async () => {
    // What `next build` of the e2e production server leaves behind in this checkout.
    await writeFile(nextEnvFile, NEXT_ENV_OF_ANOTHER_BUILD);
    const starting = run();
    const watcher = watchNextEnvWrites(starting);
    try {
      app = await started(starting);
    } finally {
      watcher.close();
    }
    expect(watcher.writesAfterNextStarted()).toBe(0);
    expect(await readFile(nextEnvFile, "utf8")).toContain('import "./.next-test/dev/types/routes.d.ts";');
    expect(app.output()).not.toMatch(/made next dev reload every page/);
    expect(existsSync(turbopackCache())).toBe(true);

    // With /login open, files change in the checkout as another build or a test run changes
    // them. (A file created at the top of the project still sets off an update pass that changes
    // nothing, answered by a bare "built": Next 16.4.5 watches that directory's listing itself.)
    await compileBackgroundRoutes();
    const created = [
      path.join(root, "e2e", `lip-launch-test-${process.pid}.txt`),
      path.join(root, "scripts", `lip-launch-test-${process.pid}.txt`),
    ];
    try {
      const result = await logInThroughLoginPage(async () => {
        await writeFile(nextEnvFile, NEXT_ENV_OF_ANOTHER_BUILD);
        for (const file of created) await writeFile(file, "launch test\n");
      });
      expect(result).toEqual({ navigations: 1, landedOn: "/", compiledMeanwhile: [] });
    } finally {
      for (const file of created) await rm(file, { force: true });
    }
  });

  it("after the process group was killed, has Next and PostgreSQL (each in a group of its own) stopped by their guards, keeps the compile cache, and /login loads once and logs in", async () => {
    const server = readPostmasterPid(path.join(dataDir, "postgres"))!.pid;
    process.kill(-app!.pgid, "SIGKILL");
    await until(() => members(app!.pgid).length === 0, 10_000, "the killed group ending");
    await untilNotAnswering(10_000); // Next, killed by its guard
    // What a killed next dev leaves: its lock beside its Turbopack cache.
    expect(existsSync(devLock())).toBe(true);
    expect(existsSync(turbopackCache())).toBe(true);

    // Started again at once, as a user does: the new launch waits for the old server's shutdown.
    app = await started();
    expect(isLiveProcess(server, /postgres/)).toBe(false);
    expect(app.output()).not.toMatch(/not shut down cleanly last time/);
    // The cache a killed next dev saved is used as it is: only a dev server that answers a page's
    // first HMR subscription with "restart" has its cache cleared (scripts/lib/dev-build-cache.ts).
    expect(app.output()).not.toMatch(/made next dev reload every page/);
    expect(existsSync(turbopackCache())).toBe(true);
    expect(await logInThroughLoginPage()).toEqual({ navigations: 1, landedOn: "/", compiledMeanwhile: [] });
  });

  it("stops cleanly on SIGTERM to npm's process alone, as `kill <pid>` or `docker stop` sends it", async () => {
    const sent = Date.now();
    process.kill(app!.child.pid!, "SIGTERM");
    await app!.exited;
    await until(() => members(app!.pgid).length === 0, 10_000, "every process of the group ending after SIGTERM to npm");
    const ms = Date.now() - sent;
    expect(ms).toBeLessThan(8_000);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  });

  it("stops cleanly when its terminal closes (SIGHUP)", async () => {
    app = await started();
    const ms = await stopWith(app, "SIGHUP");
    expect(ms).toBeLessThan(8_000);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  });

  it("names a port another program holds and starts nothing", async () => {
    const other = createServer().listen(Number(env.PORT));
    await new Promise((resolve, reject) => other.once("listening", resolve).once("error", reject));
    try {
      const refused = run();
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain(`Port ${env.PORT} is already in use`);
      expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
    } finally {
      other.close();
    }
  });
});
