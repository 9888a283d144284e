import { defineConfig, devices, type PlaywrightTestConfig } from "@playwright/test";
import { fakeApolloUrl, fakeInstantlyUrl, fakeOpenAIUrl, fakePhantomBusterUrls, serversToStart } from "./tests/e2e-servers";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;
const PROD_PORT = Number(process.env.E2E_PROD_PORT ?? 3200);
const prodBaseURL = `http://localhost:${PROD_PORT}`;
const PROD_SPECS = "**/*.prod.spec.ts";
const TRACE_MODES = ["off", "on", "retain-on-failure", "on-first-retry"] as const;

const chromium = {
  ...devices["Desktop Chrome"],
  viewport: { width: 1366, height: 860 },
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
    ],
  },
};

/**
 * Services the app must not reach during a test run: every one falls back to its embedded
 * default, and vendors' APIs point at the fake a spec starts (nothing listens there otherwise).
 */
const noRealServices = {
  DATABASE_URL: "",
  NEXT_PUBLIC_SUPABASE_URL: "",
  RESEND_API_KEY: "",
  INNGEST_EVENT_KEY: "",
  INNGEST_DEV: "",
  APOLLO_API_URL: fakeApolloUrl(PORT),
  ...fakePhantomBusterUrls(PORT),
  INSTANTLY_API_URL: fakeInstantlyUrl(PORT),
  // The model: the OpenAI-compatible fake the run starts for every spec (e2e/global-setup.ts), never OpenAI itself.
  OPENAI_API_KEY: "",
  OPENAI_BASE_URL: fakeOpenAIUrl(PORT),
  OPENAI_MODEL: "gpt-4o-mini",
};

const devServer: NonNullable<PlaywrightTestConfig["webServer"]> = {
  // A fresh database; the build dir (.next-e2e) is kept between runs as a developer's is, and so
  // is .data/e2e/secrets.json: the anon key kept there is compiled into the bundles
  // (lib/local/secrets.ts), and a new one each run met the kept build with other defines. The
  // /login reload loop runs met with an old .next-e2e came from a Turbopack cache whose dev server
  // answers the page's runtime chunk list with "restart" (Next.js 16.4.5); the launcher asks the
  // dev server as a browser would and clears that cache only then (scripts/lib/dev-build-cache.ts).
  command: "rm -rf .data/e2e/postgres && npm run dev",
  // Ready when the launcher says so, not at the first health answer: in between it asks the dev
  // server about /login's HMR answers and, on a compile cache that would loop the page, restarts it.
  wait: { stdout: /Lead Intelligence Panel is ready/ },
  timeout: 240_000,
  reuseExistingServer: false,
  stdout: "pipe",
  // Stopped as Ctrl-C would (Playwright's default is SIGKILL of the group), so the next run
  // finds a cleanly stopped database and compile cache.
  gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  env: {
    ...noRealServices,
    PORT: String(PORT),
    APP_URL: baseURL,
    DATA_DIR: ".data/e2e",
    EMBEDDED_PG_PORT: String(Number(process.env.E2E_PG_PORT ?? 54399)),
    NEXT_DIST_DIR: ".next-e2e",
    // e2e/webhooks.spec.ts subscribes its own receiver on 127.0.0.1 (loopback only; refused in production).
    WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS: "true",
    WEBHOOK_RETRY_SCHEDULE: "2s,2s",
  },
};

/**
 * The production build as an operator runs it (`npm run build && npm start`), with demo data
 * seeded on purpose and the embedded outbox enabled as for a demo deployment: what only
 * development allows (the mail catcher, credential mail in the outbox) must be gone here.
 */
const prodServer: NonNullable<PlaywrightTestConfig["webServer"]> = {
  command: "rm -rf .data/e2e-prod && npm run build && npm start",
  url: `${prodBaseURL}/api/health`,
  timeout: 420_000,
  reuseExistingServer: false,
  stdout: "pipe",
  gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  env: {
    ...noRealServices,
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(PROD_PORT),
    APP_URL: prodBaseURL,
    DATA_DIR: ".data/e2e-prod",
    EMBEDDED_PG_PORT: String(Number(process.env.E2E_PROD_PG_PORT ?? 54398)),
    NEXT_DIST_DIR: ".next-e2e-prod",
    SEED_DEMO_DATA: "true",
    LOCAL_OUTBOX_ENABLED: "true",
  },
};

// Only the servers the selected specs need: a production build costs a minute of both cores.
const servers = serversToStart(process.argv.slice(2), "e2e");

/**
 * End-to-end tests in Debian's Chromium against the app started exactly as the README says:
 * `chromium` runs against `npm run dev` (fresh database in .data/e2e), `production` runs the
 * `*.prod.spec.ts` files against `npm run build && npm start` (fresh database in .data/e2e-prod).
 * Each server has its own build dir and ports.
 */
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    // Off unless asked for (E2E_TRACE=retain-on-failure, or --trace on the command line): recording
    // a trace screencasts and snapshots every test, passing or not, and made a spec take half as
    // long again (web-hardening.spec.ts, warm build, 2 cores: 265 and 290 s recorded, 173 s not;
    // 482-539 CPU-seconds against 304), while CI keeps only the log of a failed run.
    trace: traceMode(process.env.E2E_TRACE),
    screenshot: "only-on-failure",
    navigationTimeout: 60_000,
    actionTimeout: 20_000,
  },
  projects: [
    { name: "chromium", testIgnore: PROD_SPECS, use: { ...chromium, baseURL } },
    { name: "production", testMatch: PROD_SPECS, use: { ...chromium, baseURL: prodBaseURL } },
  ],
  // Started in this order, one after the other: the production build (a minute of both cores)
  // before next dev. `next build` rewrites next-env.d.ts for its own build dir; that no longer
  // reaches a running next dev (Tailwind scans app/ and components/ only, app/globals.css), and
  // the launcher writes the file for its own run before next dev starts (scripts/lib/next-env-file.ts).
  webServer: [...(servers.production ? [prodServer] : []), ...(servers.dev ? [devServer] : [])],
});

function traceMode(value: string | undefined): (typeof TRACE_MODES)[number] {
  if (!value) return "off";
  const mode = TRACE_MODES.find((m) => m === value);
  if (!mode) throw new Error(`E2E_TRACE must be one of ${TRACE_MODES.join(", ")}, not "${value}".`);
  return mode;
}
