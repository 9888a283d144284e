"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import {
  cancelLeadImport,
  pauseLeadImport,
  resumeLeadImport,
  sendImportEvent,
  startLeadImport,
  ZImportRef,
  ZStartImport,
  type ImportActor,
  type ImportControlResult,
} from "@/lib/imports/control-import";

/**
 * Starting and steering an import (lib/imports/control-import.ts). The status changes in the
 * person's transaction; the job's event is sent once that has committed.
 */

const actorOf = (session: WorkspaceSession): ImportActor => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

const sendAfterCommit =
  (kind: "start" | "resume") =>
  async ({ session }: { session: WorkspaceSession }, result: ImportControlResult): Promise<ImportControlResult> => {
    if (result.sendEvent) {
      const requestedBy = result.requestedBy ?? session.userId;
      await sendImportEvent({ workspaceId: session.current.workspaceId, importId: result.importId, requestedBy }, kind);
    }
    return result;
  };

const common = { auth: "imports.run" as const, revalidate: ["/imports"] };

export const startLeadImportAction = defineAction({
  ...common,
  name: "startLeadImportAction",
  schema: ZStartImport,
  handler: ({ session, tx }, input) => startLeadImport(tx, actorOf(session), input),
  afterCommit: sendAfterCommit("start"),
});

export const pauseLeadImportAction = defineAction({
  ...common,
  name: "pauseLeadImportAction",
  schema: ZImportRef,
  handler: ({ session, tx }, { importId }) => pauseLeadImport(tx, actorOf(session), importId),
});

export const resumeLeadImportAction = defineAction({
  ...common,
  name: "resumeLeadImportAction",
  schema: ZImportRef,
  handler: ({ session, tx }, { importId }) => resumeLeadImport(tx, actorOf(session), importId),
  afterCommit: sendAfterCommit("resume"),
});

export const cancelLeadImportAction = defineAction({
  ...common,
  name: "cancelLeadImportAction",
  schema: ZImportRef,
  handler: ({ session, tx }, { importId }) => cancelLeadImport(tx, actorOf(session), importId),
});
