import { z } from "zod";

/** The same bounds as the workspaces_name_length check in the database. */
export const ZWorkspaceName = z.string().trim().min(1, "Name the workspace.").max(80, "Use at most 80 characters.");

export const ZCreateWorkspace = z.object({ name: ZWorkspaceName });

export type CreateWorkspaceInput = z.infer<typeof ZCreateWorkspace>;
