import { describe, expect, it } from "vitest";

/**
 * With a real Supabase project configured the emulator must not answer at all. lib/env.ts
 * caches its first parse, and this file's module graph is its own, so setting the variable
 * before the first env() call is enough.
 */
process.env.NEXT_PUBLIC_SUPABASE_URL = "https://project-ref.supabase.co";

describe("when NEXT_PUBLIC_SUPABASE_URL is set", () => {
  it("answers 404 to every auth route, with or without keys", async () => {
    const { handleAuthRequest } = await import("./handler");
    const { embeddedAuthFetch } = await import("./in-process-fetch");
    const { env } = await import("@/lib/env");
    expect(env().NEXT_PUBLIC_SUPABASE_URL).toBe("https://project-ref.supabase.co");
    const base = "http://127.0.0.1:3999/auth/v1";
    const headers = { apikey: env().SUPABASE_SERVICE_ROLE_KEY, authorization: `Bearer ${env().SUPABASE_SERVICE_ROLE_KEY}` };
    for (const [method, path] of [
      ["GET", "/.well-known/jwks.json"],
      ["GET", "/health"],
      ["POST", "/token?grant_type=password"],
      ["GET", "/admin/users"],
      ["GET", "/verify?token=x&type=magiclink"],
      ["OPTIONS", "/user"],
    ] as const) {
      const response = await handleAuthRequest(new Request(`${base}${path}`, { method, headers }));
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    // The in-process fetch must not route there either: it goes to the network.
    await expect(embeddedAuthFetch(`http://127.0.0.1:1/auth/v1/health`)).rejects.toThrow();
  });
});
