"use server";
import { defineAction } from "@/app/_server/action";
import { setCurrentWorkspace } from "@/app/_server/session";
import { withUserTx } from "@/db";
import { notFound } from "@/lib/errors";
import { sendEvent } from "@/lib/jobs/send-event";
import { ZSwitchWorkspace } from "@/lib/team/schemas";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { ZCreateWorkspace } from "@/lib/workspaces/schemas";

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

/** Any signed-in user, in a workspace or not, may start one and becomes its admin. */
export const createNewWorkspace = defineAction({
  name: "createNewWorkspace",
  schema: ZCreateWorkspace,
  auth: "signed-in",
  handler: async ({ session }, { name }) => {
    const created = await withUserTx(session.claims, (tx) => createWorkspace(tx, { userId: session.userId, name }));
    await setCurrentWorkspace(created.workspaceId);
    // The welcome digest (a first run on the Jobs page), after the commit. The workspace
    // exists whatever happens to it, so a failure to enqueue is logged, not reported.
    await sendEvent({ name: "workspace/digest.requested", data: { workspaceId: created.workspaceId, requestedBy: session.userId } }).catch(
      (error: unknown) => console.error("[action createNewWorkspace] welcome digest not enqueued", error),
    );
    return created;
  },
  revalidate: ["/"],
});
