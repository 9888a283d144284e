import { describe, expect, it } from "vitest";
import { describeRules, memberIdsOfRules, summarizeRules } from "./describe-rules";

const ZOE = "6f1c8c0e-4a8e-4c57-9d0f-0c3c0b8f1a01";
const JOSE = "6f1c8c0e-4a8e-4c57-9d0f-0c3c0b8f1a02";
const names = new Map([[ZOE, "Zoë Ångström"]]);

describe("describeRules", () => {
  it("says the match rule, the owner and the tags in words", () => {
    expect(describeRules({ onMatch: "fill_empty", owner: { kind: "member", userId: ZOE }, tags: ["apollo", "q4"] }, names)).toEqual([
      "Existing leads get only their empty fields filled",
      "New leads are owned by Zoë Ångström",
      "Tagged apollo, q4",
    ]);
  });

  it("names everyone in a round robin, and a member who left as a former member", () => {
    const rules = { onMatch: "skip", owner: { kind: "round_robin", userIds: [ZOE, JOSE] }, tags: [] };
    expect(describeRules(rules, names)).toEqual([
      "Existing leads are left as they are",
      "New leads are shared in turn between Zoë Ångström, a former member",
    ]);
    expect(memberIdsOfRules(rules)).toEqual([ZOE, JOSE]);
  });

  it("says nothing before the import is started, and does not guess at a shape it does not know", () => {
    expect(describeRules(null, names)).toEqual([]);
    expect(describeRules({ onMatch: "merge" }, names)).toEqual(["Rules recorded in an older format"]);
    expect(memberIdsOfRules({ onMatch: "merge" })).toEqual([]);
  });
});

describe("summarizeRules", () => {
  it("says the match rule, the owners and the tags in a few words each, for the history list", () => {
    expect(summarizeRules({ onMatch: "fill_empty", owner: { kind: "member", userId: ZOE }, tags: ["apollo", "q4"] }, names)).toEqual([
      "Existing: empty fields filled",
      "Owner: Zoë Ångström",
      "Tags: apollo, q4",
    ]);
    expect(summarizeRules({ onMatch: "overwrite", owner: { kind: "round_robin", userIds: [ZOE, JOSE] }, tags: [] }, names)).toEqual([
      "Existing: overwritten",
      "Owners in turn: Zoë Ångström, a former member",
    ]);
    expect(summarizeRules({ onMatch: "skip", owner: { kind: "none" }, tags: [] }, names)).toEqual(["Existing: skipped", "No owner"]);
  });

  it("says nothing before the import is started, and does not guess at a shape it does not know", () => {
    expect(summarizeRules(null, names)).toEqual([]);
    expect(summarizeRules({ onMatch: "merge" }, names)).toEqual(["Older format"]);
  });

  it("says nothing of an import that had no row to apply rules to (a PhantomBuster run with nothing new)", () => {
    expect(summarizeRules({}, names)).toEqual([]);
    expect(describeRules({}, names)).toEqual([]);
  });
});
