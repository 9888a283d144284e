"use server";
import { defineAction } from "@/app/_server/action";
import { updateAiSettings } from "@/lib/ai/settings";
import { ZAiSettings } from "@/lib/ai/settings-schema";

export const saveAiSettings = defineAction({
  name: "saveAiSettings",
  schema: ZAiSettings,
  auth: "ai.manage",
  handler: async ({ session, tx }, input) => {
    await updateAiSettings(tx, { workspaceId: session.current.workspaceId, userId: session.userId, role: session.current.role }, input);
    return { saved: true };
  },
  revalidate: ["/settings/ai"],
});
