import { z } from "zod";
import { isShowable, UNSHOWABLE_MESSAGE } from "@/lib/text/showable";

/** The same bounds as the workspaces_name_length check in the database. */
export const ZWorkspaceName = z
  .string()
  .trim()
  .min(1, "Name the workspace.")
  .max(80, "Use at most 80 characters.")
  .refine(isShowable, UNSHOWABLE_MESSAGE);

export const ZCreateWorkspace = z.object({ name: ZWorkspaceName });

export type CreateWorkspaceInput = z.infer<typeof ZCreateWorkspace>;
