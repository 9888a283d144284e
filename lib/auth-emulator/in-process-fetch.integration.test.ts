import { createClient } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { uniqueEmail } from "./testing";

/** Nothing listens on port 1: only an in-process answer can succeed. */
process.env.APP_URL = "http://127.0.0.1:1";

describe("embeddedAuthFetch", () => {
  it("serves /auth/v1 in-process before any web server is up, and leaves other URLs to the network", async () => {
    const { embeddedAuthFetch } = await import("./in-process-fetch");
    const { env } = await import("@/lib/env");
    const admin = createClient(env().APP_URL, env().SUPABASE_SERVICE_ROLE_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { fetch: embeddedAuthFetch },
      realtime: { transport: WebSocket as never },
    });
    const email = uniqueEmail("in-process");
    const { data, error } = await admin.auth.admin.createUser({ email, password: "seeded password", email_confirm: true });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);

    await expect(embeddedAuthFetch("http://127.0.0.1:1/api/health")).rejects.toThrow();
  });
});
