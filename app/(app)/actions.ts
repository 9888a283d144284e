"use server";
import { defineAction } from "@/app/_server/action";
import { setCurrentWorkspace } from "@/app/_server/session";
import { notFound } from "@/lib/errors";
import { ZSwitchWorkspace } from "@/lib/team/schemas";

export const switchWorkspace = defineAction({
  name: "switchWorkspace",
  schema: ZSwitchWorkspace,
  auth: "signed-in",
  handler: async ({ session }, { workspaceId }) => {
    const membership = session.memberships.find((m) => m.workspaceId === workspaceId);
    if (!membership) throw notFound("That workspace");
    await setCurrentWorkspace(workspaceId);
    return { workspaceName: membership.workspaceName };
  },
  revalidate: ["/"],
});
