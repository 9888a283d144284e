import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countEmailsTo, createConfirmedUser, startAuthTestServer, uniqueEmail, type AuthTestServer } from "@/lib/auth-emulator/testing";
import { AppError } from "@/lib/errors";
import { createSupabaseServerClient } from "@/lib/supabase/server";
import { requestPasswordReset, requestSignInLink } from "./sign-in-emails";

// supabase-js refuses to start on Node 20 without a WebSocket; Next polyfills it in the app.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
// Two auth emails per IP per hour, read by env()'s first call.
process.env.RATE_LIMIT_EMAIL_SENT_PER_IP = "2";

let server: AuthTestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

/** The login page's actions: the app's server client for a browser at `ip`, in-process to the auth server. */
function clientFor(ip: string) {
  return createSupabaseServerClient({ getAll: () => [], set: () => undefined }, { clientIp: ip });
}

describe("the login page's email requests", () => {
  it("past the per-IP email limit say when to try again, whatever the address", async () => {
    const ip = "192.0.2.60";
    const { email: known } = await createConfirmedUser(server, "page-known");
    const redirectTo = `${server.url}/leads`;
    await requestSignInLink(clientFor(ip), { ip, email: known, redirectTo });
    await requestPasswordReset(clientFor(ip), { ip, email: uniqueEmail("page-unknown"), redirectTo });
    expect(await countEmailsTo(known)).toBe(1);

    // One request at a time: both started together, the second's rejection would wait unhandled
    // while the first is awaited (and, refused sooner, fail the run as an unhandled rejection).
    for (const request of [
      () => requestSignInLink(clientFor(ip), { ip, email: uniqueEmail("page-unknown"), redirectTo }),
      () => requestPasswordReset(clientFor(ip), { ip, email: known, redirectTo }),
    ]) {
      const error = await request().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "rate_limited", message: "Too many attempts — try again in 60 minutes." });
    }
    expect(await countEmailsTo(known)).toBe(1);
    // Another browser is not affected.
    await requestPasswordReset(clientFor("192.0.2.61"), { ip: "192.0.2.61", email: known, redirectTo });
    expect(await countEmailsTo(known)).toBe(2);
  });
});
