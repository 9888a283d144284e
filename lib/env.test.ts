import { describe, expect, it } from "vitest";
import { describeServices, inngestDevAllowed, inngestDevMode, integrationsSandboxEnabled, parseEnv } from "./env";

const MINIMAL = {
  DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:5432/lip",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon-key-anon-key-anon-key",
  SUPABASE_SERVICE_ROLE_KEY: "service-key-service-key-service",
  LOCAL_AUTH_SIGNING_JWK: '{"kty":"EC"}',
  LOCAL_RESEND_API_KEY: "re_local_abc",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

describe("parseEnv", () => {
  it("accepts the embedded defaults' configuration and fills defaults", () => {
    const env = parseEnv(MINIMAL);
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(describeServices(env, true)).toEqual({
      database: "embedded",
      auth: "embedded",
      email: "dev-mail-catcher",
      jobs: "local-executor",
      ai: "none",
      vendors: "sandbox",
    });
  });

  it("names the variable that is wrong and says what it must be", () => {
    expect(() => parseEnv({ ...MINIMAL, DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL must be a postgres:\/\/ connection URL/);
    expect(() => parseEnv({ ...MINIMAL, ENCRYPTION_KEY: "c2hvcnQ=" })).toThrow(/ENCRYPTION_KEY must be 32 random bytes, base64-encoded/);
  });

  it("reads APOLLO_API_URL as an http(s) base without a trailing slash, Apollo's own by default", () => {
    expect(parseEnv(MINIMAL).APOLLO_API_URL).toBe("https://api.apollo.io/api/v1");
    expect(parseEnv({ ...MINIMAL, APOLLO_API_URL: "http://127.0.0.1:4231/api/v1/" }).APOLLO_API_URL).toBe("http://127.0.0.1:4231/api/v1");
    expect(() => parseEnv({ ...MINIMAL, APOLLO_API_URL: "ftp://apollo.example/api" })).toThrow(
      /APOLLO_API_URL must be an http\(s\) URL, like https:\/\/api.apollo.io\/api\/v1/,
    );
    expect(() => parseEnv({ ...MINIMAL, APOLLO_API_URL: "not a url" })).toThrow(/APOLLO_API_URL must be an http\(s\) URL/);
  });

  it("reads INSTANTLY_API_URL the same way, Instantly's API v2 by default", () => {
    expect(parseEnv(MINIMAL).INSTANTLY_API_URL).toBe("https://api.instantly.ai/api/v2");
    expect(parseEnv({ ...MINIMAL, INSTANTLY_API_URL: "http://127.0.0.1:4331/api/v2/" }).INSTANTLY_API_URL).toBe(
      "http://127.0.0.1:4331/api/v2",
    );
    expect(() => parseEnv({ ...MINIMAL, INSTANTLY_API_URL: "ftp://instantly.example/api" })).toThrow(
      /INSTANTLY_API_URL must be an http\(s\) URL, like https:\/\/api.instantly.ai\/api\/v2/,
    );
  });

  it("reads PhantomBuster's API and result-file bases the same way, PhantomBuster's own by default", () => {
    const defaults = parseEnv(MINIMAL);
    expect(defaults.PHANTOMBUSTER_API_URL).toBe("https://api.phantombuster.com/api/v2");
    expect(defaults.PHANTOMBUSTER_S3_URL).toBe("https://phantombuster.s3.amazonaws.com");
    const local = parseEnv({
      ...MINIMAL,
      PHANTOMBUSTER_API_URL: "http://127.0.0.1:4431/api/v2/",
      PHANTOMBUSTER_S3_URL: "http://127.0.0.1:4431/",
    });
    expect([local.PHANTOMBUSTER_API_URL, local.PHANTOMBUSTER_S3_URL]).toEqual(["http://127.0.0.1:4431/api/v2", "http://127.0.0.1:4431"]);
    expect(() => parseEnv({ ...MINIMAL, PHANTOMBUSTER_S3_URL: "s3://phantombuster" })).toThrow(
      /PHANTOMBUSTER_S3_URL must be an http\(s\) URL, like https:\/\/phantombuster.s3.amazonaws.com/,
    );
  });

  it("offers the integrations sandbox in development, and in production only when enabled", () => {
    expect(integrationsSandboxEnabled(parseEnv(MINIMAL))).toBe(true);
    expect(integrationsSandboxEnabled(parseEnv({ ...MINIMAL, NODE_ENV: "production" }))).toBe(false);
    expect(describeServices(parseEnv({ ...MINIMAL, NODE_ENV: "production" })).vendors).toBe("keys-only");
    expect(integrationsSandboxEnabled(parseEnv({ ...MINIMAL, NODE_ENV: "production", INTEGRATIONS_SANDBOX_ENABLED: "true" }))).toBe(true);
  });

  it("requires the embedded auth key only when no Supabase URL is configured", () => {
    const { LOCAL_AUTH_SIGNING_JWK: _omit, ...withoutKey } = MINIMAL;
    expect(() => parseEnv(withoutKey)).toThrow(/LOCAL_AUTH_SIGNING_JWK is required when NEXT_PUBLIC_SUPABASE_URL is unset/);
    const real = parseEnv({ ...withoutKey, NEXT_PUBLIC_SUPABASE_URL: "https://abc.supabase.co" });
    expect(describeServices(real).auth).toBe("supabase");
  });

  it("treats empty strings as unset and switches each service on its own key", () => {
    const env = parseEnv({
      ...MINIMAL,
      RESEND_API_KEY: "re_live_123",
      INNGEST_DEV: "1",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
      NEXT_PUBLIC_SUPABASE_URL: "",
    });
    expect(describeServices(env, false)).toEqual({
      database: "external",
      auth: "embedded",
      email: "resend",
      jobs: "inngest",
      ai: "openai",
      vendors: "sandbox",
    });
  });

  it("refuses INNGEST_DEV in production unless explicitly allowed, and says what to set instead", () => {
    const production = { ...MINIMAL, NODE_ENV: "production" };
    for (const dev of ["1", "true", "http://127.0.0.1:8288"]) {
      expect(() => parseEnv({ ...production, INNGEST_DEV: dev })).toThrow(/INNGEST_DEV is for a developer's machine.*INNGEST_SIGNING_KEY/s);
    }
    expect(parseEnv({ ...production, INNGEST_DEV: "1", INNGEST_ALLOW_DEV_IN_PRODUCTION: "true" }).INNGEST_DEV).toBe("1");
    expect(parseEnv({ ...production, INNGEST_DEV: "0", INNGEST_EVENT_KEY: "k", INNGEST_SIGNING_KEY: "signkey-prod-1" }).NODE_ENV).toBe(
      "production",
    );
    expect(parseEnv({ ...MINIMAL, NODE_ENV: "development", INNGEST_DEV: "1" }).INNGEST_DEV).toBe("1");
  });

  it("reads SEED_DEMO_DATA as unset, true or false", () => {
    expect(parseEnv(MINIMAL).SEED_DEMO_DATA).toBeUndefined();
    expect(parseEnv({ ...MINIMAL, SEED_DEMO_DATA: "true" }).SEED_DEMO_DATA).toBe(true);
    expect(parseEnv({ ...MINIMAL, SEED_DEMO_DATA: "false" }).SEED_DEMO_DATA).toBe(false);
  });
});

describe("inngestDevMode", () => {
  it("reads INNGEST_DEV as the Inngest SDK does: 0 and false are off, anything else (1, true, a URL) is on", () => {
    expect(inngestDevMode({})).toBe(false);
    expect(inngestDevMode({ INNGEST_DEV: "0" })).toBe(false);
    expect(inngestDevMode({ INNGEST_DEV: "false" })).toBe(false);
    for (const on of ["1", "true", "http://127.0.0.1:8288", "yes"]) expect(inngestDevMode({ INNGEST_DEV: on })).toBe(true);
    expect(describeServices(parseEnv({ ...MINIMAL, INNGEST_DEV: "0" })).jobs).toBe("local-executor");
  });
});

describe("inngestDevAllowed", () => {
  it("allows dev mode outside production, and in production only with the override", () => {
    expect(inngestDevAllowed({ NODE_ENV: "development" })).toBe(true);
    expect(inngestDevAllowed({ NODE_ENV: "production" })).toBe(false);
    expect(inngestDevAllowed({ NODE_ENV: "production", INNGEST_ALLOW_DEV_IN_PRODUCTION: "false" })).toBe(false);
    expect(inngestDevAllowed({ NODE_ENV: "production", INNGEST_ALLOW_DEV_IN_PRODUCTION: "true" })).toBe(true);
  });
});
