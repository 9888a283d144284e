import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/local/free-port";
import { startDevServer, type DevServerProcess } from "./lib/dev-server";
import { recreateLoopingCache } from "./lib/reload-loop-recipe";

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

/** `npm run dev` as a terminal runs it, killed at the end of the file if a test left it running. */
async function start(extra: Record<string, string> = {}): Promise<DevServerProcess> {
  const server = await startDevServer({ root, env: { ...env, ...extra }, timeoutMs: START_MS });
  groups.add(server.pid);
  const end = (stop: () => Promise<void>) => async () => {
    await stop();
    groups.delete(server.pid);
  };
  return { ...server, stop: end(server.stop), kill: end(server.kill) };
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
