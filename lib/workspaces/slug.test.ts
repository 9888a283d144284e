import { describe, expect, it } from "vitest";
import { workspaceSlug } from "./slug";

const FORMAT = /^[a-z0-9][a-z0-9-]{1,62}$/;

describe("workspaceSlug", () => {
  it("keeps the name's letters and digits, drops accents and adds a random tail", () => {
    expect(workspaceSlug("Société Générale — Paris 2")).toMatch(/^societe-generale-paris-2-[0-9a-f]{6}$/);
    expect(workspaceSlug("Acme")).not.toBe(workspaceSlug("Acme"));
  });

  it("always matches the database's slug format, whatever the name", () => {
    for (const name of ["", "---", "日本の会社", "a".repeat(80), "-leading and trailing-", "x"]) {
      expect(workspaceSlug(name)).toMatch(FORMAT);
    }
  });
});
