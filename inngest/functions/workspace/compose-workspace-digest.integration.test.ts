import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import type { EventPayload } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { sendEvent } from "@/lib/jobs/send-event";
import { runReaching, startTestExecutor, productFunctions } from "@/lib/jobs/testing/harness";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { composeWorkspaceDigestFunction } from "./compose-workspace-digest";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

const requested = (workspaceId: string): EventPayload => ({
  name: "workspace/digest.requested",
  data: { workspaceId, requestedBy: null },
});

function engineFor(workspaceId: string) {
  return new InngestTestEngine({
    function: composeWorkspaceDigestFunction,
    events: [requested(workspaceId)],
    // The durable pause never resolves under @inngest/test unless mocked.
    steps: [{ id: "let-the-team-settle", handler: () => undefined }],
  });
}

describe("compose-workspace-digest (@inngest/test)", () => {
  it("reads the workspace and composes its digest", async () => {
    const { result, state } = (await engineFor(fx.a.id).execute()) as { result: unknown; state: Record<string, Promise<unknown>> };
    expect(result).toEqual({
      workspaceId: fx.a.id,
      title: "Welcome to Acme Outbound",
      lines: [
        "Your team: 1 admin, 1 manager, 1 sales rep, 1 analyst, 1 viewer.",
        "Next: import leads from a CSV or Apollo, then draft a campaign for approval.",
      ],
    });
    expect(Object.keys(state)).toHaveLength(3);
  });

  it("skips a workspace that no longer exists", async () => {
    const { result } = (await engineFor(randomUUID()).execute()) as { result: unknown };
    expect(result).toEqual({ skipped: "The workspace no longer exists." });
  });
});

describe("compose-workspace-digest (local executor)", () => {
  it("runs end to end from sendEvent", async () => {
    const executor = await startTestExecutor(productFunctions("compose-workspace-digest"));
    try {
      const { ids } = await sendEvent({
        name: "workspace/digest.requested",
        data: { workspaceId: fx.b.id, requestedBy: fx.b.members.admin.id },
      });
      await runReaching(ids[0]!, ["sleeping"]);
      executor.clock.advance(6_000);
      executor.wake();
      const run = await runReaching(ids[0]!, ["completed"]);
      expect(run).toMatchObject({ workspace_id: fx.b.id, function_id: "compose-workspace-digest" });
      expect((run.output as { title: string }).title).toBe("Welcome to Globex");
    } finally {
      await executor.stop();
    }
  });
});
