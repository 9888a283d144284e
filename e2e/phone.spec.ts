import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, logIn, mainNav } from "./helpers";

/**
 * A rep checking replies on a phone: below Tailwind's `md` breakpoint the navigation hides behind
 * a menu button in a top bar, and pages fit the screen's width (their own tables scroll sideways).
 */
test.use({ viewport: { width: 390, height: 844 } });

const openNavigation = (page: Page) => page.getByRole("button", { name: "Open navigation" });

test("on a phone a rep opens the navigation from the top bar, moves between pages, and each page fits the screen", async ({ page }) => {
  test.setTimeout(300_000);
  await logIn(page, "rep@acme.test");

  // The navigation waits behind the menu button: out of view and out of the tab order.
  await expect(mainNav(page)).toBeHidden();
  await openNavigation(page).click();
  await expect(openNavigation(page)).toHaveAttribute("aria-expanded", "true");
  await expect(mainNav(page)).toBeVisible();
  await expect(mainNav(page).getByRole("link", { name: "Home" })).toBeFocused();
  await expectAccessible(page);

  // Escape in a menu inside it closes that menu alone.
  await page.getByRole("button", { name: "User menu" }).click();
  await expect(page.getByRole("menuitem", { name: "Log out" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menuitem", { name: "Log out" })).toBeHidden();
  await expect(mainNav(page)).toBeVisible();

  // The bell's panel opens below the bell, within the screen (beside the drawer it ran off the edge).
  await page.getByRole("button", { name: /^Notifications/ }).click();
  const panel = page.getByRole("dialog", { name: "Notifications" });
  await expect(panel).toBeVisible();
  const panelBox = (await panel.boundingBox())!;
  expect(panelBox.x).toBeGreaterThanOrEqual(0);
  expect(panelBox.x + panelBox.width).toBeLessThanOrEqual(390);
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(mainNav(page)).toBeVisible();

  // Escape closes it and gives focus back to the button that opened it.
  await page.keyboard.press("Escape");
  await expect(mainNav(page)).toBeHidden();
  await expect(openNavigation(page)).toBeFocused();

  // A link in it goes there and closes it.
  await openNavigation(page).click();
  await mainNav(page).getByRole("link", { name: "Leads" }).click();
  await expect(page).toHaveURL(/\/leads$/);
  await expect(mainNav(page)).toBeHidden();
  await expect(page.getByRole("heading", { name: "Leads", level: 1 })).toBeVisible();

  // The header's actions wrap below the title instead of running off the right edge.
  const newLead = page.getByRole("link", { name: "New lead" });
  await expect(newLead).toBeVisible();
  const box = (await newLead.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await expectAccessible(page);

  await openNavigation(page).click();
  await mainNav(page).getByRole("link", { name: "Replies" }).click();
  await expect(page).toHaveURL(/\/replies$/);
  // Said in a rep's words, not the mechanism's.
  await expect(page.getByTestId("live-status")).toHaveText("New replies appear here as they arrive, connected", { timeout: 60_000 });
  await expect(page.getByRole("table")).toBeVisible();
  // The page scrolls inside its frame: the long table's visually hidden labels do not make the
  // window itself scroll past the app into blank space.
  expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0);
  await expectAccessible(page);
});
