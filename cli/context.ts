import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { authUsers } from "drizzle-orm/supabase";
import { serviceDb, type JwtClaims } from "@/db";
import { workspaceMembers, workspaces } from "@/db/schema";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { parseLeadListState } from "@/lib/leads/list-state";
import { LEAD_LIST_PARAMS } from "@/lib/leads/list-state-shape";

/**
 * Where a command writes: stdout for results (a CSV can be piped), stderr for progress and
 * notices; and the directory the operator ran it from, which relative paths are read against.
 */
export type CliIo = {
  /** false: the reader is behind, and `drained` says when to write again (a stream's write()). */
  out: (chunk: string | Uint8Array) => boolean | void;
  drained?: () => Promise<void>;
  err: (text: string) => void;
  cwd: string;
  /** Everything on standard input (a password piped in, never typed into the command line). */
  input?: () => Promise<string>;
};

export const processIo: CliIo = {
  out: (chunk) => process.stdout.write(chunk),
  drained: () => new Promise((resolve) => process.stdout.once("drain", resolve)),
  err: (text) => process.stderr.write(text),
  // `npm run` starts the script in the project's root; INIT_CWD is where the operator typed it.
  cwd: process.env.INIT_CWD || process.cwd(),
  input: async () => {
    // Typed at a terminal, a password is echoed, and the read ends only at Ctrl-D.
    if (process.stdin.isTTY) {
      throw new CliError(
        "--password-stdin reads a pipe, not the keyboard: printf '%s\\n' \"$PASSWORD\" | npm run -s cli -- … --password-stdin",
      );
    }
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

/** Whether an argument is an id (a workspace's, a run's) rather than a slug or a typo. */
export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** A path the operator gave, from the directory they ran the command in. */
export const operatorPath = (io: CliIo, file: string) => path.resolve(io.cwd, file);

/** A refusal the operator can act on: printed without a stack, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

export type CliWorkspace = { id: string; name: string; slug: string };

/** A workspace by its slug or its id (as `workspace list` prints them). */
export async function findWorkspace(ref: string): Promise<CliWorkspace> {
  const isId = isUuid(ref);
  const [workspace] = await serviceDb()
    .select({ id: workspaces.id, name: workspaces.name, slug: workspaces.slug })
    .from(workspaces)
    .where(isId ? eq(workspaces.id, ref) : eq(workspaces.slug, ref));
  if (!workspace) throw new CliError(`No workspace "${ref}": give its slug or its id (\`workspace list\` shows them).`);
  return workspace;
}

/** The member a command acts as: every change is theirs in the audit log, within their role's rights and RLS. */
export type CliActor = { workspaceId: string; userId: string; email: string; role: WorkspaceRole; claims: JwtClaims };

export async function actingMember(workspace: CliWorkspace, email: string | undefined): Promise<CliActor> {
  if (!email) throw new CliError(`Say whose work this is with --as <email> (a member of ${workspace.slug}).`);
  const [member] = await serviceDb()
    .select({
      userId: authUsers.id,
      email: authUsers.email,
      role: workspaceMembers.role,
      // As a key acts (authenticate-api-key.ts): only for an account that may sign in now.
      live: sql<boolean>`${authUsers}.deleted_at is null and (${authUsers}.banned_until is null or ${authUsers}.banned_until <= now())`,
    })
    .from(workspaceMembers)
    .innerJoin(authUsers, eq(authUsers.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.workspaceId, workspace.id), eq(authUsers.email, email.trim().toLowerCase())));
  if (!member) throw new CliError(`${email} is not a member of ${workspace.slug}.`);
  if (!member.live) throw new CliError(`${email}'s account is banned or deleted: work cannot be done as them.`);
  const address = member.email ?? email;
  return {
    workspaceId: workspace.id,
    userId: member.userId,
    email: address,
    role: member.role,
    claims: { sub: member.userId, role: "authenticated", email: address, aud: "authenticated" },
  };
}

/**
 * A --filter: the leads page's query string, read strictly. The page opens a link with a
 * parameter it cannot use and says so; a command would export, or spend model budget on, more
 * leads than meant ("staus=new" is no filter at all), so it refuses instead.
 */
export function strictLeadFilter(query: string) {
  const params = new URLSearchParams(query);
  // The address bar also names the saved view it came from and the lead open beside the table;
  // neither changes which leads the filter holds (a view's filters are spelled out beside it).
  for (const extra of ["view", "lead"]) params.delete(extra);
  const known: readonly string[] = LEAD_LIST_PARAMS;
  const keys = [...params.keys()];
  const unknown = [...new Set(keys)].filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new CliError(
      `--filter: the leads page has no ${unknown.map((k) => `"${k}"`).join(", ")} (it takes ${LEAD_LIST_PARAMS.join(", ")}). Nothing was done.`,
    );
  }
  // An empty or repeated value is no filter on the page; here it is most likely a script's unset variable.
  const empty = [...new Set(keys.filter((key) => params.get(key) === ""))];
  if (empty.length > 0) throw new CliError(`--filter: ${empty.map((k) => `"${k}"`).join(", ")} has no value. Nothing was done.`);
  const repeated = [...new Set(keys.filter((key, i) => keys.indexOf(key) !== i))];
  if (repeated.length > 0)
    throw new CliError(
      `--filter: ${repeated.map((k) => `"${k}"`).join(", ")} is given twice (list values with commas: status=new,lost). Nothing was done.`,
    );
  const { state, ignored } = parseLeadListState(params);
  if (ignored.length > 0) throw new CliError(`--filter: the ${ignored.join(", ")} cannot be used as given. Nothing was done.`);
  return state;
}
