import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { randomBytes } from "node:crypto";

export const DEMO_PASSWORD = "demo-pass-2026";
export const ACME_ADMIN = "admin@acme.test";
export const ACME_VIEWER = "viewer@acme.test";
export const GLOBEX_ADMIN = "admin@globex.test";

/** Home, where signing in lands: the site's root and nothing after it. */
export const HOME_URL = /^https?:\/\/[^/]+\/$/;

export const unique = () => randomBytes(4).toString("hex");

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  // The first sign-in of a dev run compiles Home: on a busy 2-core machine that alone takes 20 s.
  await expect(page).toHaveURL(HOME_URL, { timeout: 60_000 });
}

/**
 * Adds a lead through the New lead page as the signed-in user and returns its page's URL.
 * `timeout` is for the New lead page and the lead's page (the configured navigation timeout
 * when not given), which next dev may compile first: a minute or more on a loaded machine.
 */
export async function createLead(
  page: Page,
  fields: { firstName?: string; lastName: string; email?: string },
  { timeout }: { timeout?: number } = {},
): Promise<string> {
  await page.goto("/leads/new", { timeout });
  if (fields.firstName) await page.getByLabel("First name").fill(fields.firstName);
  await page.getByLabel("Last name").fill(fields.lastName);
  if (fields.email) await page.getByLabel("Email").fill(fields.email);
  await page.getByRole("button", { name: "Add lead" }).click();
  await expect(page).toHaveURL(/\/leads\/[0-9a-f-]{36}$/, { timeout: timeout ?? 60_000 });
  const name = [fields.firstName, fields.lastName].filter(Boolean).join(" ");
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return page.url();
}

/** Waits until React has hydrated `element`: its DOM node then carries React's own keys (`__reactFiber$…`). */
export async function expectHydrated(element: Locator, what: string) {
  await expect
    .poll(() => element.evaluate((node) => Object.keys(node).some((key) => key.startsWith("__react"))), { message: `${what} hydrated` })
    .toBe(true);
}

/** An id no row has: a detail page visited with it compiles the route and answers "not found". */
export const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";

/**
 * Visits `paths` signed in as `email` before a spec's tests, so that what a test waits for is the
 * page and never next dev's first compile of it: tens of seconds on a loaded 2-core machine,
 * during which a click's request stays in flight (the dev server prints "○ Compiling <route>"
 * when it starts and logs the request only once it has answered). Signed out, the proxy sends
 * the visitor to /login before any app page compiles, so a signed-out warm-up compiles nothing.
 * Call it from beforeAll with a timeout long enough for those compiles.
 */
export async function compilePagesSignedIn(browser: Browser, email: string, paths: readonly string[]) {
  const page = await browser.newPage();
  try {
    await logIn(page, email);
    for (const path of paths) await page.goto(path, { timeout: 300_000 });
  } finally {
    await page.close();
  }
}

/**
 * The demo seed connects Acme's Apollo, Instantly and PhantomBuster sandboxes
 * (scripts/lib/seed-sandboxes.ts): a spec that connects one in Acme itself first disconnects
 * what is there, on Settings → Integrations as an admin would. `vendor` is the section's name.
 */
export async function disconnectIfConnected(page: Page, vendor: "Apollo.io" | "Instantly" | "PhantomBuster") {
  await page.goto("/settings/integrations", { timeout: 120_000 });
  const section = page.getByRole("region", { name: vendor });
  const disconnect = section.getByRole("button", { name: "Disconnect" });
  await expect(section.getByText("Not connected").or(disconnect)).toBeVisible();
  if (await disconnect.isVisible()) {
    await disconnect.click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
    await expect(section.getByText("Not connected")).toBeVisible();
  }
}

export function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Runs axe-core on the page as it is now and fails on every serious or critical WCAG 2.1 A/AA
 * violation, naming the rule, its help text and the offending elements. The outbox's message
 * frame is left out: its sandboxed srcdoc content is a rep's email, not the app's interface.
 */
export async function expectAccessible(page: Page) {
  // Right after a client navigation, Next's router renders the new page's head one deferred
  // render after its body (app-router.js, Head): for that moment the document has no <title>.
  // The audit reads the page once that has landed; a title that never comes is still reported.
  await page.waitForFunction(() => document.title !== "", null, { timeout: 5_000 }).catch(() => undefined);
  // Colours are judged as people read them, settled, never mid-fade (text fading in or back
  // from a pending look is paler than it will be for the rest of its life). The audit asks for
  // reduced motion, which the app honours (app/globals.css), so that no fade starting while axe
  // runs (a button re-enabled as an action returns) is read halfway; fades already running are
  // waited for. Endless animations (spinners) are not waited for.
  await page.emulateMedia({ reducedMotion: "reduce" });
  // An action still pending (its button aria-busy, drawn pale and disabled) is waited for: its
  // button would otherwise be re-enabled while axe runs, and a colour read in the same frame as
  // that change is the transition's first value, the pale one, however short the transition
  // (seen after an upload on the suppression page, where the results show before the action's
  // refresh ends). A pending state that never ends is audited as it is.
  await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null, null, { timeout: 10_000 }).catch(() => undefined);
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => Number.isFinite(Number(animation.effect?.getComputedTiming().endTime)))
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  // Toasts leaving, or collapsed behind the front one, are faded out by design (sonner sets
  // their content's opacity to 0 with a transition that can start after the wait above, e.g.
  // when a second toast arrives): nobody reads them; the front toast is still audited.
  const results = await new AxeBuilder({ page })
    .withTags(WCAG_TAGS)
    .exclude('iframe[title="Message body"]')
    .exclude('[data-sonner-toast][data-removed="true"]')
    .exclude('[data-sonner-toast][data-expanded="false"][data-front="false"]')
    .analyze();
  await page.emulateMedia({ reducedMotion: null });
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = blocking.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary ?? ""}`).join("\n")}`,
  );
  expect(report, `accessibility violations on ${page.url()}`).toEqual([]);
}
