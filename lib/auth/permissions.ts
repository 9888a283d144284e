import type { WorkspaceRole } from "./roles";

/**
 * The permission matrix of DESIGN.md §5. Services and actions ask `can(role, permission)`;
 * RLS policies enforce the same rules again in the database.
 */
export const PERMISSIONS = [
  "workspace.read",
  "analytics.read",
  "data.export",
  "leads.create",
  "leads.edit_own",
  "leads.edit_all",
  "leads.assign",
  /**
   * Read imports: their progress and their skipped and failed rows (analysts and up, so a read
   * API key, which acts as an analyst, can follow an import a read and write key started).
   */
  "imports.read",
  "imports.run",
  "enrichment.run",
  "campaigns.draft",
  "campaigns.submit",
  "campaigns.approve",
  /** Launch, pause, resume and stop an approved campaign (admins: DESIGN.md §5). */
  "campaigns.run",
  "team.manage",
  "integrations.manage",
  /** Settings → API: make, list and revoke the workspace's API keys (admins). */
  "api.manage",
  /** Outgoing webhooks (Settings → Webhooks): endpoints, their signing secrets, redelivery (admins). */
  "webhooks.manage",
  /** The AI settings: ideal customer profile, icebreaker style, model, budget and prices (admins). */
  "ai.manage",
  "sending.manage",
  /**
   * Put an address or a domain on the suppression list by hand (managers and admins). Adding only
   * ever stops email, so it does not need an admin: a manager, or a read-and-write API key (which
   * acts as a manager at most), may add a CRM's "do not contact" list. Taking an entry off the
   * list lets email go out again, so it stays `suppression.manage` (admins, in the app only).
   */
  "suppression.add",
  /** Remove entries and upload lists (admins). */
  "suppression.manage",
  "jobs.manage",
  "outbox.read",
  /** Simulated provider events change sending state (suppression, sequences, the bounce breaker): admins. */
  "outbox.simulate",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: Permission[] = ["workspace.read"];
const ANALYST: Permission[] = [...VIEWER, "analytics.read", "data.export", "imports.read"];
const SALES_REP: Permission[] = [
  ...ANALYST,
  "leads.create",
  "leads.edit_own",
  "imports.run",
  "enrichment.run",
  "campaigns.draft",
  "campaigns.submit",
];
const MANAGER: Permission[] = [...SALES_REP, "leads.edit_all", "leads.assign", "suppression.add"];
const ADMIN: Permission[] = [...PERMISSIONS];

const MATRIX: Record<WorkspaceRole, ReadonlySet<Permission>> = {
  viewer: new Set(VIEWER),
  analyst: new Set(ANALYST),
  sales_rep: new Set(SALES_REP),
  manager: new Set(MANAGER),
  admin: new Set(ADMIN),
};

export function can(role: WorkspaceRole, permission: Permission): boolean {
  return MATRIX[role].has(permission);
}

export function permissionsOf(role: WorkspaceRole): ReadonlySet<Permission> {
  return MATRIX[role];
}
