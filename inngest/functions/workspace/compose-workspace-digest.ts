import { serviceDb } from "@/db";
import { inngest, workspaceDigestRequested, type EventContext } from "@/inngest/client";
import { composeDigest, loadWorkspaceFacts } from "@/lib/jobs/workspace-digest";

/**
 * The demo job (and a new workspace's welcome note): reads the workspace, lets a few seconds
 * pass durably, then composes the digest. One at a time per workspace.
 */
export async function composeWorkspaceDigest({ event, step }: EventContext<"workspace/digest.requested">) {
  const facts = await step.run("load-workspace", () => loadWorkspaceFacts(serviceDb(), { workspaceId: event.data.workspaceId }));
  if (!facts) return { skipped: "The workspace no longer exists." };
  await step.sleep("let-the-team-settle", "5s");
  return step.run("compose-digest", () => composeDigest(facts));
}

export const composeWorkspaceDigestFunction = inngest.createFunction(
  {
    id: "compose-workspace-digest",
    name: "Compose workspace digest",
    triggers: [workspaceDigestRequested],
    concurrency: { limit: 1, key: "event.data.workspaceId" },
    retries: 3,
  },
  composeWorkspaceDigest,
);
