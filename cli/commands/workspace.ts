import { serviceDb } from "@/db";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { env, isEmbeddedAuth } from "@/lib/env";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";
import { createWorkspaceWithAdmin, type WorkspaceWithAdminInput } from "@/lib/workspaces/create-workspace-with-admin";
import type { CliIo } from "../context";

/** `workspace create`: a team's workspace and its first admin. */
export async function createWorkspaceCommand(io: CliIo, input: WorkspaceWithAdminInput): Promise<void> {
  // The embedded auth server lives in the app: reached in-process, so the app need not be running.
  const authAdmin = createSupabaseAdminClient(isEmbeddedAuth() ? { fetch: embeddedAuthFetch } : {});
  const created = await createWorkspaceWithAdmin(serviceDb(), authAdmin, input);
  io.out(`Workspace "${input.workspaceName}" created (slug ${created.slug}, id ${created.workspaceId}).\n`);
  if (!created.userCreated) io.out(`${input.adminEmail} already had an account: they are its admin, with their own password.\n`);
  else if (created.generatedPassword)
    io.out(`Admin ${input.adminEmail} created with the password ${created.generatedPassword} — shown once: pass it on safely.\n`);
  else io.out(`Admin ${input.adminEmail} created with the password you gave.\n`);
  io.out(`Log in at ${env().APP_URL}/login\n`);
}
