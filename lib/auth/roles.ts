/** The five workspace roles of DESIGN.md §5, from least to most privileged. */
export const WORKSPACE_ROLES = ["viewer", "analyst", "sales_rep", "manager", "admin"] as const;

export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export const ROLE_LABELS: Record<WorkspaceRole, string> = {
  viewer: "Viewer",
  analyst: "Analyst",
  sales_rep: "Sales rep",
  manager: "Manager",
  admin: "Admin",
};

export const ROLE_DESCRIPTIONS: Record<WorkspaceRole, string> = {
  viewer: "Reads leads, companies and campaigns.",
  analyst: "Viewer, plus exports, analytics and following imports.",
  sales_rep: "Creates, imports and enriches leads; drafts and submits campaigns.",
  manager: "Sales rep, plus edits and assigns every lead.",
  admin: "Everything, including approvals, team, integrations and sending limits.",
};

/** A role in running text with its article: "an analyst", "a manager", "a sales rep". */
export function roleInSentence(role: WorkspaceRole): string {
  const label = ROLE_LABELS[role].toLowerCase();
  return `${/^[aeiou]/.test(label) ? "an" : "a"} ${label}`;
}
