import { sql } from "drizzle-orm";
import { serviceDb } from "@/db";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { env, isEmbeddedAuth } from "@/lib/env";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";
import { createWorkspaceWithAdmin, type WorkspaceWithAdminInput } from "@/lib/workspaces/create-workspace-with-admin";
import type { CliIo } from "../context";
import { terminalSafe } from "@/lib/text/showable";

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

/**
 * `workspace list`: every workspace's slug (what `-w` takes), name, members and live leads,
 * oldest first: the app shows names only, so this is where an operator finds a slug.
 */
export async function listWorkspacesCommand(io: CliIo): Promise<void> {
  const rows = await serviceDb().execute<{ slug: string; id: string; name: string; members: number; leads: number }>(sql`
    select w.slug, w.id, w.name,
      (select count(*)::int from public.workspace_members m where m.workspace_id = w.id) as members,
      (select count(*)::int from public.leads l where l.workspace_id = w.id and l.deleted_at is null) as leads
    from public.workspaces w
    order by w.created_at, w.id`);
  if (rows.length === 0) {
    io.out("No workspace yet: create one with `workspace create --name <name> --admin <email>`.\n");
    return;
  }
  const width = Math.max(4, ...rows.map((r) => r.slug.length));
  io.out(`${"slug".padEnd(width)}  ${"id".padEnd(36)}  members  leads  name\n`);
  for (const r of rows) {
    io.out(`${r.slug.padEnd(width)}  ${r.id}  ${String(r.members).padStart(7)}  ${String(r.leads).padStart(5)}  ${terminalSafe(r.name)}\n`);
  }
}
