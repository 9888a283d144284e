import { describe, expect, it } from "vitest";
import { AUTH_COOKIE_MAX_AGE_SECONDS, authCookieOptions } from "./cookie";

/** What @supabase/ssr 0.12 hands to setAll for a session cookie, and for a removal. */
const SSR_SET = { path: "/", sameSite: "lax", httpOnly: false, maxAge: 400 * 24 * 60 * 60 } as const;
const SSR_REMOVE = { ...SSR_SET, maxAge: 0 } as const;

describe("authCookieOptions", () => {
  it("makes the session cookie HttpOnly and a week long instead of 400 days", () => {
    const options = authCookieOptions(SSR_SET, "http://localhost:3000");
    expect(options).toMatchObject({ httpOnly: true, maxAge: AUTH_COOKIE_MAX_AGE_SECONDS, sameSite: "lax", path: "/", secure: false });
    expect(AUTH_COOKIE_MAX_AGE_SECONDS).toBeLessThanOrEqual(7 * 24 * 60 * 60);
  });

  it("is Secure when the app is served over https", () => {
    expect(authCookieOptions(SSR_SET, "https://app.example.com").secure).toBe(true);
  });

  it("keeps a removal a removal", () => {
    expect(authCookieOptions(SSR_REMOVE, "https://app.example.com")).toMatchObject({ maxAge: 0, httpOnly: true, secure: true });
  });
});
