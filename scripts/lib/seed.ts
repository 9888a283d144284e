import { serviceDb } from "@/db";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { isEmbeddedAuth } from "@/lib/env";
import { sendEvent } from "@/lib/jobs/send-event";
import { seedDemoData } from "@/lib/seed/demo-data";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";

/** Before the web server is up, the embedded auth server is reached in-process. */
export async function seed(): Promise<void> {
  const authAdmin = createSupabaseAdminClient(isEmbeddedAuth() ? { fetch: embeddedAuthFetch } : {});
  const { workspaceIds } = await seedDemoData(serviceDb(), authAdmin);
  // One welcome digest per demo workspace, so the Jobs page shows a real run on a fresh start;
  // the fixed event id makes later starts a no-op.
  await sendEvent(
    workspaceIds.map((workspaceId) => ({
      name: "workspace/digest.requested" as const,
      id: `seed-digest-${workspaceId}`,
      data: { workspaceId, requestedBy: null },
    })),
  );
}
