"use server";
import { defineAction } from "@/app/_server/action";
import { createSavedView, deleteSavedView, updateSavedView } from "@/lib/saved-views/saved-views";
import { ZCreateLeadView, ZDeleteLeadView, ZUpdateLeadView } from "@/lib/saved-views/schemas";

// Every member may keep views of the table they can read; only the owner changes one, and an
// admin may also delete one shared with the workspace (saved-views.ts, deleteSavedView).
const scopeOf = (session: { userId: string; current: { workspaceId: string } }) => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  tableName: "leads" as const,
});

export const saveLeadView = defineAction({
  name: "saveLeadView",
  schema: ZCreateLeadView,
  auth: "workspace.read",
  handler: ({ session, tx }, input) => createSavedView(tx, scopeOf(session), input),
  revalidate: ["/leads"],
});

export const updateLeadView = defineAction({
  name: "updateLeadView",
  schema: ZUpdateLeadView,
  auth: "workspace.read",
  handler: ({ session, tx }, input) => updateSavedView(tx, scopeOf(session), input),
  revalidate: ["/leads"],
});

export const deleteLeadView = defineAction({
  name: "deleteLeadView",
  schema: ZDeleteLeadView,
  auth: "workspace.read",
  handler: ({ session, tx }, input) => deleteSavedView(tx, { ...scopeOf(session), role: session.current.role }, input),
  revalidate: ["/leads"],
});
