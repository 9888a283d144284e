import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { assertCanDeliver, canDeliver, emailDelivery, keepsMailInOutbox } from "./delivery";

const BASE = {
  DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:5432/lip",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon-key-anon-key-anon-key",
  SUPABASE_SERVICE_ROLE_KEY: "service-key-service-key-service",
  LOCAL_AUTH_SIGNING_JWK: '{"kty":"EC"}',
  LOCAL_RESEND_API_KEY: "re_local_abc",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

const modes = {
  development: parseEnv({ ...BASE, NODE_ENV: "development" }),
  "production, no provider": parseEnv({ ...BASE, NODE_ENV: "production" }),
  // A flag an operator might set by mistake: it must not open anything in production.
  "production, no provider, outbox flag off": parseEnv({ ...BASE, NODE_ENV: "production", LOCAL_OUTBOX_ENABLED: "false" }),
  "production demo outbox": parseEnv({ ...BASE, NODE_ENV: "production", LOCAL_OUTBOX_ENABLED: "true" }),
  "production with Resend": parseEnv({ ...BASE, NODE_ENV: "production", RESEND_API_KEY: "re_live_1", LOCAL_OUTBOX_ENABLED: "true" }),
  "development with Resend": parseEnv({ ...BASE, NODE_ENV: "development", RESEND_API_KEY: "re_live_1" }),
};

describe("email delivery rules", () => {
  it("names the mode of each deployment", () => {
    expect(Object.fromEntries(Object.entries(modes).map(([name, e]) => [name, emailDelivery(e)]))).toEqual({
      development: "dev-mail-catcher",
      "production, no provider": "none",
      "production, no provider, outbox flag off": "none",
      "production demo outbox": "demo-outbox",
      "production with Resend": "resend",
      "development with Resend": "resend",
    });
  });

  it("sends credential mail only through a real provider or to the development mail catcher", () => {
    const credential = Object.fromEntries(Object.entries(modes).map(([name, e]) => [name, canDeliver("credential", e)]));
    expect(credential).toEqual({
      development: true,
      "production, no provider": false,
      "production, no provider, outbox flag off": false,
      "production demo outbox": false,
      "production with Resend": true,
      "development with Resend": true,
    });
    expect(() => assertCanDeliver("credential", modes["production demo outbox"])).toThrow(/Email is not configured on this server/);
  });

  it("keeps product mail in the outbox in development and in a demo deployment, and sends none without a provider", () => {
    expect(canDeliver("product", modes["production demo outbox"])).toBe(true);
    expect(canDeliver("product", modes["production, no provider"])).toBe(false);
    expect(keepsMailInOutbox(modes.development)).toBe(true);
    expect(keepsMailInOutbox(modes["production demo outbox"])).toBe(true);
    expect(keepsMailInOutbox(modes["production, no provider"])).toBe(false);
    expect(keepsMailInOutbox(modes["production with Resend"])).toBe(false);
  });
});
