import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers";

/**
 * The audit judges colours as they settle, not mid-fade: a control that comes back from its
 * pending look while axe runs (a dialog's submit once a refused action returns) was read at its
 * faded colour in one CI run (campaign-lifecycle.spec, #9f9fa9 on white). The page honours a
 * request for reduced motion, and the audit makes that request, so no fade starts during it.
 */
test("a control re-enabled while the audit runs is judged by its settled colours", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Log in" })).toBeVisible({ timeout: 60_000 });
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

test("people who ask for reduced motion get no fades", async ({ page }) => {
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.goto("/login");
  const logIn = page.getByRole("button", { name: "Log in" });
  await expect(logIn).toBeVisible({ timeout: 60_000 });
  expect(Number.parseFloat(await logIn.evaluate((button) => getComputedStyle(button).transitionDuration))).toBeLessThan(0.001);
  await page.emulateMedia({ reducedMotion: "no-preference" });
  expect(Number.parseFloat(await logIn.evaluate((button) => getComputedStyle(button).transitionDuration))).toBeGreaterThan(0.1);
});
