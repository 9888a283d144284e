import { describe, expect, it } from "vitest";
import { can, PERMISSIONS } from "./permissions";
import { WORKSPACE_ROLES, type WorkspaceRole } from "./roles";

describe("permission matrix (DESIGN.md §5)", () => {
  const expectations: [WorkspaceRole, string, boolean][] = [
    ["viewer", "workspace.read", true],
    ["viewer", "data.export", false],
    ["viewer", "leads.create", false],
    ["analyst", "data.export", true],
    ["analyst", "analytics.read", true],
    ["analyst", "leads.create", false],
    ["viewer", "imports.read", false],
    ["analyst", "imports.read", true],
    ["analyst", "imports.run", false],
    ["sales_rep", "leads.create", true],
    ["sales_rep", "imports.run", true],
    ["sales_rep", "campaigns.submit", true],
    ["sales_rep", "leads.edit_all", false],
    ["sales_rep", "campaigns.approve", false],
    ["manager", "leads.edit_all", true],
    ["manager", "leads.assign", true],
    ["manager", "campaigns.approve", false],
    ["manager", "team.manage", false],
    ["admin", "campaigns.approve", true],
    ["manager", "campaigns.run", false],
    ["admin", "campaigns.run", true],
    ["admin", "team.manage", true],
    ["admin", "jobs.manage", true],
    ["admin", "suppression.manage", true],
    ["manager", "suppression.add", true],
    ["manager", "suppression.manage", false],
    ["sales_rep", "suppression.add", false],
  ];

  it.each(expectations)("%s may %s: %s", (role, permission, allowed) => {
    expect(can(role, permission as (typeof PERMISSIONS)[number])).toBe(allowed);
  });

  it("each role holds every permission of the roles below it", () => {
    for (let i = 1; i < WORKSPACE_ROLES.length; i++) {
      const lower = WORKSPACE_ROLES[i - 1]!;
      const higher = WORKSPACE_ROLES[i]!;
      for (const permission of PERMISSIONS) {
        if (can(lower, permission)) expect(can(higher, permission), `${higher} lacks ${permission}`).toBe(true);
      }
    }
  });

  it("only admins manage the team, integrations and approvals", () => {
    for (const permission of ["team.manage", "integrations.manage", "campaigns.approve", "jobs.manage"] as const) {
      expect(WORKSPACE_ROLES.filter((role) => can(role, permission))).toEqual(["admin"]);
    }
  });
});
