import { describe, expect, it } from "vitest";
import { agentRow } from "./list-agents";

describe("agentRow", () => {
  const base = { id: "7", name: " Sales Nav ", script: "Sales Navigator Search Export.js", argument: '{"sessionCookie":"AQEDAR-secret"}' };

  it("says how the latest run went, from the agent's last end type, exit code and running containers", () => {
    expect(agentRow({ ...base }).lastRun).toBe("never");
    expect(agentRow({ ...base, lastEndType: "finished", lastExitCode: 0, lastEndedAt: 1_700_000_000_000 }).lastRun).toBe("succeeded");
    expect(agentRow({ ...base, lastEndType: "finished", lastExitCode: 1, lastEndedAt: 1 }).lastRun).toBe("failed");
    expect(agentRow({ ...base, lastEndType: "org timeout", lastExitCode: 0, lastEndedAt: 1 }).lastRun).toBe("failed");
    expect(agentRow({ ...base, lastEndType: "finished", lastExitCode: 0, nbContainersRunning: 1 }).lastRun).toBe("running");
  });

  it("keeps only what the page shows: never the argument with its session cookie", () => {
    const row = agentRow({ ...base, lastEndedAt: 1_700_000_000_000, lastExitCode: 0 });
    expect(row).toEqual({
      id: "7",
      name: "Sales Nav",
      script: "Sales Navigator Search Export",
      lastRun: "succeeded",
      lastEndedAt: 1_700_000_000_000,
    });
    expect(JSON.stringify(row)).not.toContain("sessionCookie");
    expect(agentRow({ id: "8", name: null }).name).toBe("Agent 8");
  });
});
