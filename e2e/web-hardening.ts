/**
 * The hardening of issue 8 (findings 5, 6, 7, 13 and /api/health), as a suite that runs
 * against both servers: web-hardening.spec.ts (npm run dev) and web-hardening.prod.spec.ts
 * (npm run build && npm start), since headers and pages differ between the two modes.
 */
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { ACME_ADMIN, DEMO_PASSWORD, logIn, HOME_URL } from "./helpers";

/** Redirect targets that browsers read as another host (issue 8, finding 5), as they appear in a URL. */
export const EVIL_NEXT = [
  "/%09/evil.example/phish",
  "/%0a/evil.example/phish",
  "/%0d/evil.example/phish",
  "/%5Cevil.example/phish",
  "/%2F%2Fevil.example/phish",
  "//evil.example/phish",
  "/\\evil.example/phish",
  "http://evil.example/phish",
  "https://localhost@evil.example/phish",
];

export const origin = () => test.info().project.use.baseURL!;

export async function expectStillHere(page: Page, path: RegExp) {
  // The first sign-in compiles Home in a fresh `next dev`: allow for it.
  await expect(page).toHaveURL(path, { timeout: 60_000 });
  expect(new URL(page.url()).origin).toBe(new URL(origin()).origin);
}

export function defineWebHardeningTests() {
  test.describe("redirect targets from input stay on this site", () => {
    test("next on the login form, before signing in", async ({ page, context }) => {
      for (const next of EVIL_NEXT.slice(0, 4)) {
        await context.clearCookies();
        await page.goto(`/login?next=${next}`);
        await page.getByLabel("Work email").fill(ACME_ADMIN);
        await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
        await page.getByRole("button", { name: "Log in" }).click();
        await expectStillHere(page, HOME_URL);
      }
    });

    test("next on the login page, when already signed in", async ({ page }) => {
      await logIn(page, ACME_ADMIN);
      for (const next of EVIL_NEXT) {
        await page.goto(`/login?next=${next}`);
        await expectStillHere(page, HOME_URL);
      }
      await page.goto("/login?next=/jobs%3Fstatus%3Dfailed");
      await expectStillHere(page, /\/jobs\?status=failed$/);
    });
  });

  test.describe("crafted session cookies and cursors", () => {
    for (const alg of ["none", "RS256", "HS256"]) {
      test(`a token with alg ${alg} is a signed-out visitor, never a 500`, async ({ page, context }) => {
        const { keys } = (await (await page.request.get("/auth/v1/.well-known/jwks.json")).json()) as { keys: { kid: string }[] };
        await setSessionCookie(context, forgedToken(alg, keys[0]!.kid));
        for (const path of ["/", "/leads", "/jobs", "/login", "/auth/set-password", "/settings/team", "/api/health"]) {
          const response = await page.request.get(path, { maxRedirects: 0 });
          expect(response.status(), path).toBeLessThan(500);
        }
        await page.goto("/leads");
        await expect(page).toHaveURL(/\/login\?next=%2Fleads$/);
        await expect(page.getByRole("heading", { name: "Log in to Lead Intelligence Panel" })).toBeVisible();
        // Signing in over the bad cookie works.
        await page.getByLabel("Work email").fill(ACME_ADMIN);
        await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
        await page.getByRole("button", { name: "Log in" }).click();
        await expect(page).toHaveURL(/\/leads$/);
      });
    }

    test("a malformed jobs cursor shows the newest runs with a notice", async ({ page }) => {
      await logIn(page, ACME_ADMIN);
      const response = await page.goto("/jobs?cursor=%25%25%25");
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("status").filter({ hasText: "That page link is not valid any more" })).toBeVisible();
    });
  });

  test.describe("security headers", () => {
    test("every page, route, auth endpoint and static file carries them", async ({ page }) => {
      await logIn(page, ACME_ADMIN);
      const html = await (await page.request.get("/leads")).text();
      const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
      expect(chunk).toBeTruthy();
      const paths = [
        "/login",
        "/leads",
        "/settings/team",
        "/jobs",
        "/api/health",
        "/auth/v1/health",
        "/auth/v1/.well-known/jwks.json",
        "/icon.svg",
        chunk!,
      ];
      for (const path of paths) {
        const headers = (await page.request.get(path)).headers();
        expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
        expect(headers["x-frame-options"], path).toBe("DENY");
        expect(headers["x-content-type-options"], path).toBe("nosniff");
        expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
      }
      // Pages allow only this request's scripts: a nonce, and no 'unsafe-inline'.
      const csp = (await page.request.get("/leads")).headers()["content-security-policy"]!;
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    });

    test("pages still run their scripts under the CSP", async ({ page }) => {
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await logIn(page, ACME_ADMIN); // a client-side form, a server action and a client navigation
      await page.getByRole("button", { name: "User menu" }).click();
      await expect(page.getByRole("menuitem", { name: "Log out" })).toBeVisible();
      expect(violations).toEqual([]);
    });

    test("a page on another origin cannot frame the app", async ({ page }) => {
      // A real server on another origin (and on loopback, as the app is, so no browser rule
      // about public pages framing private addresses gets in the way).
      const framer = createServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/html" });
        response.end(`<h1>framer</h1>
          <iframe id="control" srcdoc="<p>control frame</p>"></iframe>
          <iframe id="app" src="${origin()}/login"></iframe>`);
      });
      await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
      try {
        const { port } = framer.address() as AddressInfo;
        // `load` waits for both frames: the app's has answered (and been refused) by then.
        await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: "load" });
        await expect(page.frameLocator("#control").getByText("control frame")).toBeVisible();
        await expect(page.frameLocator("#app").getByRole("heading", { name: "Log in to Lead Intelligence Panel" })).toHaveCount(0);
      } finally {
        framer.close();
      }
    });
  });

  test.describe("the session cookie", () => {
    test("is HttpOnly, SameSite=Lax and lives a week at most; logging out clears it", async ({ page, context }) => {
      await logIn(page, ACME_ADMIN);
      const cookie = (await context.cookies()).find((c) => c.name === "sb-lip-auth-token");
      expect(cookie).toBeDefined();
      expect(cookie!.httpOnly).toBe(true);
      expect(cookie!.sameSite).toBe("Lax");
      expect(cookie!.secure).toBe(new URL(origin()).protocol === "https:");
      expect(cookie!.expires - Date.now() / 1000).toBeLessThanOrEqual(7 * 24 * 3600 + 60);
      expect(await page.evaluate(() => document.cookie)).not.toContain("sb-lip-auth-token");

      await page.getByRole("button", { name: "User menu" }).click();
      await page.getByRole("menuitem", { name: "Log out" }).click();
      await expect(page).toHaveURL(/\/login$/);
      expect((await context.cookies()).find((c) => c.name === "sb-lip-auth-token")).toBeUndefined();
      await page.goto("/leads");
      await expect(page).toHaveURL(/\/login\?next=%2Fleads$/);
    });
  });

  test.describe("changing a password", () => {
    test("after a password sign-in needs the current password", async ({ page }) => {
      const email = "rep@acme.test";
      const changeTo = async (current: string, next: string) => {
        await page.goto("/auth/set-password");
        await page.getByLabel("Current password").fill(current);
        await page.getByLabel("New password").fill(next);
        await page.getByLabel("Repeat the password").fill(next);
        await page.getByRole("button", { name: "Save password" }).click();
      };
      await logIn(page, email);
      await changeTo("", "a stolen session's choice");
      await expect(page.getByText("Enter your current password.").first()).toBeVisible();
      await changeTo("not-the-password", "a stolen session's choice");
      await expect(page.getByText("That is not your current password.").first()).toBeVisible();

      await changeTo(DEMO_PASSWORD, "rep's own new passphrase");
      await expect(page).toHaveURL(HOME_URL);
      await changeTo("rep's own new passphrase", DEMO_PASSWORD); // as the other specs expect
      await expect(page).toHaveURL(HOME_URL);
    });
  });

  test.describe("/api/health", () => {
    test("tells anonymous callers only whether the app is up", async ({ page, playwright }) => {
      const anonymous = await playwright.request.newContext({ baseURL: origin() });
      const response = await anonymous.get("/api/health");
      expect(response.status()).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
      await anonymous.dispose();

      await logIn(page, ACME_ADMIN);
      const detailed = (await (await page.request.get("/api/health")).json()) as Record<string, unknown>;
      expect(detailed).toMatchObject({ status: "ok", database: "ok", services: { auth: "embedded" } });
    });
  });
}

const b64url = (value: string) => Buffer.from(value).toString("base64url");

/** A token that looks like ours (our kid, our claims) but that no key of ours signed. */
function forgedToken(alg: string, kid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg, kid, typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({ sub: randomUUID(), role: "authenticated", aud: "authenticated", exp: now + 3600, iat: now, session_id: randomUUID() }),
  );
  return `${header}.${payload}.${alg === "none" ? "" : b64url("not-a-signature")}`;
}

async function setSessionCookie(context: BrowserContext, accessToken: string) {
  const now = Math.floor(Date.now() / 1000);
  const session = {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: 3600,
    expires_at: now + 3600,
    refresh_token: "forged-refresh-token",
    user: { id: randomUUID(), aud: "authenticated", role: "authenticated", email: "forged@example.test" },
  };
  await context.addCookies([{ name: "sb-lip-auth-token", value: `base64-${b64url(JSON.stringify(session))}`, url: origin() }]);
}
