import { describe, expect, it } from "vitest";
import { roleInSentence, WORKSPACE_ROLES } from "./roles";

describe("roleInSentence", () => {
  it("puts the article a sentence needs before each role", () => {
    expect(WORKSPACE_ROLES.map(roleInSentence)).toEqual(["a viewer", "an analyst", "a sales rep", "a manager", "an admin"]);
  });
});
