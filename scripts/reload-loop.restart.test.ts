import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/local/free-port";
import { recreateLoopingCache, type DevServer } from "./lib/reload-loop-recipe";

/**
 * Issue 9's /login reload loop, on the condition that causes it: a Turbopack compile cache on
 * which `next dev` (Next.js 16.4.5) answers a page's first HMR subscription to the app's runtime
 * chunk list with "restart" (scripts/lib/dev-build-cache.ts). scripts/lib/reload-loop-recipe.ts
 * recreates that cache from an empty one (a killed session; it looped in 5 of 5 tries there),
 * then `npm run dev` starts on it as a user starts it again after a crash: its launcher must find
 * that cache and clear it, and /login load once and log in.
 *
 * Run with LAUNCH_TEST_WITHOUT_CACHE_REPAIR=1 (the launcher then starts on the cache as it is),
 * it fails: /login reloads over and over.
 * Its own build dir (.next-test-loop, listed in tsconfig.json) and a database of its own.
 */
const root = path.resolve(import.meta.dirname, "..");
const START_MS = 240_000;
const distName = ".next-test-loop";
const distDir = path.join(root, distName);

let env: NodeJS.ProcessEnv;
const groups = new Set<number>();

beforeAll(async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "lip-loop-"));
  await chmod(tmp, 0o755); // PostgreSQL runs as the postgres user
  const port = await freePort();
  env = {
    ...process.env,
    PORT: String(port),
    APP_URL: `http://localhost:${port}`,
    EMBEDDED_PG_PORT: String(await freePort()),
    DATA_DIR: path.join(tmp, "data"),
    NEXT_DIST_DIR: distName,
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

afterAll(() => {
  for (const group of groups) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // ended already
    }
  }
});

/** `npm run dev` in a process group of its own, as a terminal runs it, once its banner is printed. */
async function start(extra: Record<string, string> = {}): Promise<DevServer & { output(): string; stop(): Promise<void> }> {
  const child = spawn("npm", ["run", "dev"], { cwd: root, env: { ...env, ...extra }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  groups.add(child.pid!);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += String(chunk)));
  child.stderr!.on("data", (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + START_MS;
  while (!output.includes("Lead Intelligence Panel is ready")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm run dev did not become ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const end = async (signal: NodeJS.Signals) => {
    process.kill(-child.pid!, signal);
    await exited;
    groups.delete(child.pid!);
    // Next runs in a group of its own, ended by its guard once the launcher is gone.
    for (let tries = 0; tries < 100; tries++) {
      if (!(await fetch(`${env.APP_URL}/api/health`, { signal: AbortSignal.timeout(1_000) }).catch(() => null))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  return { output: () => output, kill: () => end("SIGKILL"), stop: () => end("SIGINT") };
}

const REPAIRED = /made next dev reload every page \(it could not update (static\/chunks\/[^ ]+\._\.js)/;

/**
 * `npm run dev` on a cache the recipe made, once the launcher has found it looping (its repair's
 * notice): the recipe depends on when Turbopack's snapshots fall. It looped in 9 of 9 tries on a
 * machine at load 6-10, but not beside the whole integration suite, and in 0 of 9 on a quiet one
 * (load 1-2, three runs of this test), so it runs on demand (`npm run test:restart`), not in
 * `npm test`. A start on a cache that did not loop is stopped and the recipe made again. Only
 * the launcher's own start can tell: any session that asks the dev server first (a probe) may
 * snapshot the cache healthy again. Without the repair (LAUNCH_TEST_WITHOUT_CACHE_REPAIR=1) nothing
 * tells, and the first recipe's cache is taken as it is.
 */
async function startOnLoopingCache(origin: string, tries = 3): Promise<Awaited<ReturnType<typeof start>> & { chunkList: string | null }> {
  for (let n = 1; n <= tries; n++) {
    await recreateLoopingCache({ origin, distDir, start });
    const app = await start();
    const chunkList = REPAIRED.exec(app.output())?.[1] ?? null;
    if (chunkList || process.env.LAUNCH_TEST_WITHOUT_CACHE_REPAIR === "1") {
      console.log(
        `Recipe ${n} of ${tries}: ${chunkList ? `next dev answered ${chunkList} with "restart"; the launcher cleared the cache` : "started without the repair"}`,
      );
      return Object.assign(app, { chunkList });
    }
    await app.stop();
  }
  throw new Error(`the recipe made no compile cache that loops /login in ${tries} tries`);
}

describe("npm run dev on a compile cache that loops pages (issue 9)", { timeout: 12 * START_MS }, () => {
  it("clears that cache, and /login loads once and logs in", async () => {
    const app = await startOnLoopingCache(env.APP_URL!.replace("localhost", "127.0.0.1"));
    try {
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
      });
      try {
        const page = await browser.newPage();
        let navigations = 0;
        page.on("request", (request) => {
          if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations++;
        });
        await page.goto(`${env.APP_URL}/login`, { timeout: 120_000 });
        await page.waitForTimeout(10_000);
        expect(navigations).toBe(1);
        await page.getByLabel("Work email").fill("admin@acme.test");
        await page.getByLabel("Password", { exact: true }).fill("demo-pass-2026");
        await page.getByRole("button", { name: "Log in" }).click();
        // Home compiles afresh on the cleared cache: over a minute on this shared machine.
        await page.waitForURL((url) => url.pathname === "/", { timeout: 150_000 });
      } finally {
        await browser.close();
      }
      // The launcher is what mended it.
      expect(app.chunkList).toMatch(/^static\/chunks\//);
    } finally {
      await app.stop();
    }
  });
});
