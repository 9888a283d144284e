import { afterAll, beforeAll } from "vitest";
import { serveScriptedOutbox, type ScriptedOutbox } from "@/lib/sending/send/testing/scripted-outbox";
import { startAuthTestServer, type AuthTestServer } from "./testing";

/**
 * The embedded auth server with its emails going to the scripted outbox (a provider a test can
 * make fail, hang or wait), set up once for the file and closed after it. Read `server` and
 * `provider` inside tests and hooks (they exist once beforeAll has run).
 */
export function authServerWithScriptedProvider(): { readonly server: AuthTestServer; readonly provider: ScriptedOutbox } {
  let server: AuthTestServer | undefined;
  let provider: ScriptedOutbox | undefined;
  beforeAll(async () => {
    provider = await serveScriptedOutbox();
    // Before the auth server reads env() (it is parsed once): its emails go to this provider.
    process.env.RESEND_BASE_URL = provider.baseUrl;
    server = await startAuthTestServer();
  });
  afterAll(async () => {
    await server?.close();
    await provider?.close();
  });
  return {
    get server() {
      if (!server) throw new Error("The auth server is started in beforeAll: read it in a test or a hook");
      return server;
    },
    get provider() {
      if (!provider) throw new Error("The scripted provider is started in beforeAll: read it in a test or a hook");
      return provider;
    },
  };
}
