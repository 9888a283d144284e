import { expect, test } from "@playwright/test";
import { ACME_ADMIN, expectAccessible, expectHydrated, logIn } from "./helpers";

/**
 * The audit judges colours as they settle, not mid-fade: a control that comes back from its
 * pending look while axe runs (a dialog's submit once a refused action returns) was read at its
 * faded colour in one CI run (campaign-lifecycle.spec, #9f9fa9 on white). The page honours a
 * request for reduced motion, and the audit makes that request, so no fade starts during it.
 */
test("a control re-enabled while the audit runs is judged by its settled colours", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Log in" })).toBeVisible({ timeout: 60_000 });
  // Added once React owns the page: added before, it made React's hydration fail (a mismatch logged by the server).
  await expectHydrated(page.getByRole("button", { name: "Log in" }), "the Log in button");
  // A secondary button as components/ui/button.tsx draws it, pending (disabled, pale text). It
  // comes back the moment axe is injected, after the audit's wait for running animations, and
  // its fade back is slowed down so that it would still be running when axe reads colours.
  await page.evaluate(() => {
    const button = document.createElement("button");
    button.textContent = "Pause campaign";
    button.disabled = true;
    button.className =
      "rounded-md border border-zinc-300 bg-white px-2.5 text-xs font-medium text-zinc-800 transition-colors disabled:text-zinc-400";
    button.style.transitionDuration = "5s";
    document.querySelector("main")!.append(button);
    const enableOnceAxeIsThere = setInterval(() => {
      if (!("axe" in window)) return;
      clearInterval(enableOnceAxeIsThere);
      button.disabled = false;
    }, 1);
  });
  await expectAccessible(page);
});

test("a control still pending when the audit starts is judged once its action ends", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Log in" })).toBeVisible({ timeout: 60_000 });
  // Added once React owns the page: added before, it made React's hydration fail (a mismatch logged by the server).
  await expectHydrated(page.getByRole("button", { name: "Log in" }), "the Log in button");
  // A primary button drawn in its pending look (#a1a3f7, the pale accent of components/ui/button.tsx)
  // while its action runs, as a SubmitButton is between the moment the page shows an action's
  // result and the end of the action's refresh. Read then, its white label fails contrast; the
  // audit waits for the action (aria-busy) to end, as a person would before reading it.
  await page.evaluate(() => {
    const settled = getComputedStyle(document.querySelector('button[type="submit"]')!).backgroundColor;
    const button = document.createElement("button");
    button.textContent = "Upload";
    button.setAttribute("aria-busy", "true");
    button.className = "h-9 rounded-md px-3.5 text-sm font-medium text-white";
    button.style.backgroundColor = "#a1a3f7";
    document.querySelector("main")!.append(button);
    setTimeout(() => {
      button.removeAttribute("aria-busy");
      button.style.backgroundColor = settled;
    }, 1_500);
  });
  await expectAccessible(page);
});

test("people who ask for reduced motion get no fades", async ({ page }) => {
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto("/login");
  const logIn = page.getByRole("button", { name: "Log in" });
  await expect(logIn).toBeVisible({ timeout: 60_000 });
  expect(Number.parseFloat(await logIn.evaluate((button) => getComputedStyle(button).transitionDuration))).toBeLessThan(0.001);
  await page.emulateMedia({ reducedMotion: "no-preference" });
  expect(Number.parseFloat(await logIn.evaluate((button) => getComputedStyle(button).transitionDuration))).toBeGreaterThan(0.1);
});

test("the first Tab offers a skip past the navigation, which takes the keyboard straight to the page", async ({ page }) => {
  await logIn(page, ACME_ADMIN);
  await page.goto("/leads");
  await expect(page.getByRole("heading", { level: 1, name: "Leads" })).toBeVisible();
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expectHydrated(skip, "the skip link");
  await page.locator("body").focus();
  await page.keyboard.press("Tab");
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main-content")).toBeFocused();
  // The next Tab lands inside the page, not on the navigation's first link.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);
  await expectAccessible(page);
});
