import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfirmedUser, startAuthTestServer, uniqueEmail, type AuthTestServer } from "@/lib/auth-emulator/testing";
import { AppError } from "@/lib/errors";
import { createSupabaseServerClient } from "@/lib/supabase/server";
import { requestPasswordReset, requestSignInLink } from "./sign-in-emails";

globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
// Production with no email provider: read by env()'s first call.
(process.env as Record<string, string>).NODE_ENV = "production";
delete process.env.LOCAL_OUTBOX_ENABLED;

let server: AuthTestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

describe("the login page's email requests without an email provider", () => {
  it("say plainly that email is not configured, for every address", async () => {
    const ip = "192.0.2.70";
    const client = createSupabaseServerClient({ getAll: () => [], set: () => undefined }, { clientIp: ip });
    const { email: known } = await createConfirmedUser(server, "page-nomail");
    const redirectTo = `${server.url}/leads`;
    // Each refusal is caught where its request starts: awaiting them one by one would leave
    // the later ones rejected with no handler yet (an unhandled rejection fails the run).
    const refusals = await Promise.all(
      [
        requestSignInLink(client, { ip, email: known, redirectTo }),
        requestSignInLink(client, { ip, email: uniqueEmail("page-nomail"), redirectTo }),
        requestPasswordReset(client, { ip, email: known, redirectTo }),
      ].map((request) =>
        request.then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    );
    for (const error of refusals) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        code: "email_not_configured",
        message: expect.stringMatching(/^Email is not configured on this server/),
      });
    }
  });
});
