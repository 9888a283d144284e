import { describe, expect, it } from "vitest";
import type { BulkChange } from "./schemas";
import { describeSkips, planBatch, type BulkCandidate } from "./plan-batch";

const me = "me";
const other = "other";
const lead = (id: string, patch: Partial<BulkCandidate> = {}): BulkCandidate => ({
  id,
  ownerId: null,
  status: "new",
  tags: [],
  deleted: false,
  ...patch,
});

describe("planBatch", () => {
  it("skips a rep's teammates' leads as not permitted, whatever the change", () => {
    const rows = [lead("mine", { ownerId: me }), lead("free"), lead("theirs", { ownerId: other })];
    const changes: BulkChange[] = [
      { action: "set_status", status: "won" },
      { action: "add_tags", tags: ["x"] },
      { action: "delete" },
      { action: "assign_owner", ownerId: me },
    ];
    for (const change of changes) {
      const plan = planBatch(change, { role: "sales_rep", userId: me }, rows);
      const expected = change.action === "assign_owner" ? ["free"] : ["mine", "free"];
      expect(
        plan.change.map((r) => r.id),
        change.action,
      ).toEqual(expected);
      expect(plan.skipped.not_permitted, change.action).toBe(1);
    }
  });

  it("lets a manager change every lead and skips what already is as asked", () => {
    const rows = [lead("a", { status: "won" }), lead("b", { ownerId: other })];
    const plan = planBatch({ action: "set_status", status: "won" }, { role: "manager", userId: me }, rows);
    expect(plan).toEqual({ change: [rows[1]], skipped: { unchanged: 1 } });
  });

  it("refuses everything to roles that only read", () => {
    const plan = planBatch({ action: "restore" }, { role: "analyst", userId: me }, [lead("a", { deleted: true })]);
    expect(plan).toEqual({ change: [], skipped: { not_permitted: 1 } });
  });

  it("keeps a lead within 50 tags and removes only tags it has", () => {
    const full = lead("full", { tags: Array.from({ length: 50 }, (_, i) => `t${i}`) });
    const add = planBatch({ action: "add_tags", tags: ["new"] }, { role: "admin", userId: me }, [full, lead("empty")]);
    expect(add.change.map((r) => r.id)).toEqual(["empty"]);
    expect(add.skipped).toEqual({ tag_limit: 1 });
    const remove = planBatch({ action: "remove_tags", tags: ["t1"] }, { role: "admin", userId: me }, [full, lead("empty")]);
    expect(remove).toEqual({ change: [full], skipped: { unchanged: 1 } });
  });
});

describe("describeSkips", () => {
  it("says how many were skipped and why", () => {
    expect(describeSkips({})).toBe("");
    expect(describeSkips({ not_permitted: 2, unchanged: 1 })).toBe(
      "Skipped 3: 2 belong to someone else (your role cannot change them), 1 already was as asked.",
    );
  });
});
