import { describe, expect, it } from "vitest";
import { canEditLead, canSetOwner } from "./lead-permissions";

const me = "me-id";
const other = "other-id";

describe("who may edit a lead", () => {
  it.each([
    ["admin", other, true],
    ["manager", other, true],
    ["sales_rep", me, true],
    ["sales_rep", null, true],
    ["sales_rep", other, false],
    ["analyst", null, false],
    ["viewer", me, false],
  ] as const)("%s on a lead owned by %s: %s", (role, owner, expected) => {
    expect(canEditLead(role, me, owner)).toBe(expected);
  });

  it("lets a rep take an unassigned lead or give theirs back, but not hand one to a teammate", () => {
    expect(canSetOwner("sales_rep", me, null, me)).toBe(true);
    expect(canSetOwner("sales_rep", me, me, null)).toBe(true);
    expect(canSetOwner("sales_rep", me, me, other)).toBe(false);
    expect(canSetOwner("sales_rep", me, other, me)).toBe(false);
    expect(canSetOwner("manager", me, other, me)).toBe(true);
  });
});
