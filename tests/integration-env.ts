import { inject } from "vitest";
import { embeddedEnvironment, type LocalSecrets } from "../lib/local/secrets";

/**
 * Gives every integration test file the environment the launcher would give the app:
 * the throw-away database and the embedded defaults' secrets.
 */
const secrets = JSON.parse(inject("localSecrets")) as LocalSecrets;
process.env.DATABASE_URL = inject("databaseUrl");
process.env.APP_URL ??= "http://127.0.0.1:3999";
for (const key of ["NEXT_PUBLIC_SUPABASE_URL", "RESEND_API_KEY", "INNGEST_EVENT_KEY", "INNGEST_DEV", "OPENAI_API_KEY"]) {
  delete process.env[key];
}
Object.assign(process.env, await embeddedEnvironment(secrets, process.env));
// A file may switch the mode (lib/email/delivery-*.integration.test.ts); the next starts afresh.
(process.env as Record<string, string>).NODE_ENV = "test";
delete process.env.LOCAL_OUTBOX_ENABLED;
delete process.env.RESEND_BASE_URL;
