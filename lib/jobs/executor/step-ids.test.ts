import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashStepId, StepIdAllocator } from "./step-ids";

describe("step ids", () => {
  it("hashes ids with sha1, as the SDK keys step state", () => {
    expect(hashStepId("load-lead")).toBe(createHash("sha1").update("load-lead").digest("hex"));
  });

  it("suffixes repeated ids with :1, :2 …, skipping ids already taken", () => {
    const ids = new StepIdAllocator();
    const allocated = ["send", "send", "send:2", "send", "other", "send"].map((id) => ids.allocate(id).id);
    expect(allocated).toEqual(["send", "send:1", "send:2", "send:3", "other", "send:4"]);
    expect(ids.usesOf("send")).toBe(4);
    expect(ids.size).toBe(6);
  });
});
