import { serviceDb } from "@/db";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { isEmbeddedAuth } from "@/lib/env";
import { seedDemoData } from "@/lib/seed/demo-data";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";

/** Before the web server is up, the embedded auth server is reached in-process. */
export async function seed(): Promise<void> {
  const authAdmin = createSupabaseAdminClient(isEmbeddedAuth() ? { fetch: embeddedAuthFetch } : {});
  await seedDemoData(serviceDb(), authAdmin);
}
