"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import { deleteImportMapping, saveImportMapping } from "@/lib/imports/saved-mappings/saved-mappings";
import { ZDeleteImportMapping, ZSaveImportMapping } from "@/lib/imports/saved-mappings/schemas";

const actorOf = (session: WorkspaceSession) => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

export const saveImportMappingAction = defineAction({
  name: "saveImportMappingAction",
  schema: ZSaveImportMapping,
  auth: "imports.run",
  handler: ({ session, tx }, input) => saveImportMapping(tx, actorOf(session), input),
  revalidate: ["/imports"],
});

export const deleteImportMappingAction = defineAction({
  name: "deleteImportMappingAction",
  schema: ZDeleteImportMapping,
  auth: "imports.run",
  handler: ({ session, tx }, input) => deleteImportMapping(tx, actorOf(session), input),
  revalidate: ["/imports"],
});
