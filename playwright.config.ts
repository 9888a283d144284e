import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;

/**
 * End-to-end tests in Debian's Chromium against the app started exactly as the README says
 * (`npm run dev`), on its own fresh database in .data/e2e, fresh build dir and its own ports.
 */
export default defineConfig({
  testDir: "e2e",
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    navigationTimeout: 60_000,
    actionTimeout: 20_000,
  },
  projects: [
    {
      name: "chromium",
      use: {
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
      },
    },
  ],
  webServer: {
    // A fresh build dir too, as on CI's clean clone. Two local runs (never CI) hit next dev
    // reloading /login in a loop ("✓ Compiled in 1ms", GET /login, again) with a .next-e2e left
    // by earlier runs. That state is not proven to be the cause; this rules it out.
    command: "rm -rf .data/e2e .next-e2e && npm run dev",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      APP_URL: baseURL,
      DATA_DIR: ".data/e2e",
      EMBEDDED_PG_PORT: String(Number(process.env.E2E_PG_PORT ?? 54399)),
      NEXT_DIST_DIR: ".next-e2e",
      DATABASE_URL: "",
      NEXT_PUBLIC_SUPABASE_URL: "",
      RESEND_API_KEY: "",
      INNGEST_EVENT_KEY: "",
      INNGEST_DEV: "",
    },
  },
});
