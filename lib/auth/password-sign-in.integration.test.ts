import WebSocket from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createConfirmedUser, startAuthTestServer, uniqueEmail, type AuthTestServer } from "@/lib/auth-emulator/testing";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createSupabaseServerClient } from "@/lib/supabase/server";
import { signInWithPasswordLimited } from "./password-sign-in";

// supabase-js refuses to start on Node 20 without a WebSocket; Next polyfills it in the app.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

/** The login action's path: the app's server client, in-process to the embedded auth server. */
let server: AuthTestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());
afterEach(() => {
  vi.useRealTimers();
});

let nextIp = 1;
const freshIp = () => `192.0.2.${nextIp++}`;

async function actionSignIn(email: string, password: string, ip = freshIp()): Promise<AppError | "signed-in"> {
  const jar = new Map<string, string>();
  const cookieStore = {
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => jar.set(name, value),
  };
  const supabase = createSupabaseServerClient(cookieStore, { clientIp: ip, passwordAttemptCounted: true });
  try {
    await signInWithPasswordLimited(supabase, { ip, email }, password);
    return "signed-in";
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

async function tokenStatus(email: string, password: string) {
  const response = await fetch(`${server.url}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY, "content-type": "application/json", "x-forwarded-for": freshIp() },
    body: JSON.stringify({ email, password }),
  });
  return response.status;
}

describe("the sign-in action's limits", () => {
  it("locks the account after 10 wrong passwords: the right one then says when to try again", async () => {
    const { email, password } = await createConfirmedUser(server, "action-locked");
    for (let i = 0; i < 10; i++) expect(await actionSignIn(email, "wrong password")).toMatchObject({ code: "unauthenticated" });
    const refused = await actionSignIn(email, password);
    expect(refused).toMatchObject({ code: "rate_limited", message: "Too many attempts — try again in 15 minutes." });
    // The counters are the auth server's too: /token refuses the same account.
    expect(await tokenStatus(email, password)).toBe(429);

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 15 * 60 * 1000 + 1000 });
    expect(await actionSignIn(email, password)).toBe("signed-in");
  });

  it("counts each attempt once, though the action and the embedded server both enforce the limits", async () => {
    const { email, password } = await createConfirmedUser(server, "action-once");
    for (let i = 0; i < 9; i++) await actionSignIn(email, "wrong password");
    expect(await actionSignIn(email, password)).toBe("signed-in");
  });

  it("holds to 10 guesses when many are sent at once, through the action and the auth server alike", async () => {
    const { email, password } = await createConfirmedUser(server, "action-burst");
    // Counted only after each check, all of these passed a check none of them had counted in yet.
    const guesses = await Promise.all([
      ...Array.from({ length: 20 }, () => actionSignIn(email, "wrong password")),
      ...Array.from({ length: 20 }, () => tokenStatus(email, "wrong password")),
    ]);
    const checked = guesses.filter((g) => g === 400 || (g instanceof AppError && g.code === "unauthenticated"));
    const refused = guesses.filter((g) => g === 429 || (g instanceof AppError && g.code === "rate_limited"));
    expect(checked.length).toBeLessThanOrEqual(10);
    expect(checked.length + refused.length).toBe(40);
    expect(await actionSignIn(email, password)).toMatchObject({ code: "rate_limited" });
  });

  it("counts the browser's IP, not the app server's", async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++) await actionSignIn(`spray-${i}-${ip}@example.com`, "wrong password", ip);
    const { email, password } = await createConfirmedUser(server, "action-ip");
    expect(await actionSignIn(email, password, ip)).toMatchObject({ code: "rate_limited" });
    expect(await actionSignIn(email, password)).toBe("signed-in");
  });
});

describe("the right password for an account that cannot sign in", () => {
  it("says the address is unconfirmed, or the account suspended, instead of 'something went wrong'", async () => {
    const email = uniqueEmail("unconfirmed");
    const created = await server.adminClient().auth.admin.createUser({ email, password: "correct horse battery" });
    expect(created.error).toBeNull();
    expect(await actionSignIn(email, "correct horse battery")).toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("not confirmed yet"),
    });

    const { email: banned, password, userId } = await createConfirmedUser(server, "banned");
    expect((await server.adminClient().auth.admin.updateUserById(userId, { ban_duration: "24h" })).error).toBeNull();
    expect(await actionSignIn(banned, password)).toMatchObject({ code: "forbidden", message: expect.stringContaining("suspended") });
    // A wrong password says nothing about either.
    expect(await actionSignIn(banned, "wrong password")).toMatchObject({ code: "unauthenticated" });
  });
});
