"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import {
  addSuppressionByHand,
  importSuppressions as importSuppressionList,
  removeSuppression as removeSuppressionEntry,
  type SuppressionActor,
} from "@/lib/suppressions/manage-suppressions";
import { ZAddSuppression, ZImportSuppressions, ZRemoveSuppression } from "@/lib/suppressions/schemas";
import { unicodeForm } from "@/lib/suppressions/unicode-form";

const SUPPRESSION_PATH = "/settings/suppression";

const actorOf = (session: WorkspaceSession): SuppressionActor => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

export const addSuppression = defineAction({
  name: "addSuppression",
  schema: ZAddSuppression,
  auth: "suppression.add",
  handler: async ({ session, tx }, input) => {
    const added = await addSuppressionByHand(tx, actorOf(session), input);
    // The toast says it as the person typed it (`bücher.de`), not as it is stored.
    return { ...added, shown: unicodeForm(added.value) ?? added.value };
  },
  revalidate: [SUPPRESSION_PATH],
});

export const removeSuppression = defineAction({
  name: "removeSuppression",
  schema: ZRemoveSuppression,
  auth: "suppression.manage",
  handler: ({ session, tx }, input) => removeSuppressionEntry(tx, actorOf(session), input),
  revalidate: [SUPPRESSION_PATH],
});

export const importSuppressions = defineAction({
  name: "importSuppressions",
  workspaceLimit: "uploads",
  schema: ZImportSuppressions,
  auth: "suppression.manage",
  handler: ({ session, tx }, input) => importSuppressionList(tx, actorOf(session), input),
  revalidate: [SUPPRESSION_PATH],
});
