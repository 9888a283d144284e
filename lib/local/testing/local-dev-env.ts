/**
 * The variables of a local `npm run dev` with no vendor keys (mail kept in the embedded outbox,
 * the embedded auth server), as raw env input for parseEnv in unit tests.
 */
export const LOCAL_DEV_ENV = {
  DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:5432/lip",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon-key-anon-key-anon-key",
  SUPABASE_SERVICE_ROLE_KEY: "service-key-service-key-service",
  LOCAL_AUTH_SIGNING_JWK: '{"kty":"EC"}',
  LOCAL_RESEND_API_KEY: "re_local_abc",
  LOCAL_RESEND_WEBHOOK_SECRET: "whsec_" + Buffer.alloc(24, 3).toString("base64"),
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  APP_URL: "http://localhost:4000",
  NODE_ENV: "development",
};
