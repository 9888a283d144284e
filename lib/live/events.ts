import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";

/** The PostgreSQL channel the triggers of migration 0052 notify on. */
export const LIVE_CHANNEL = "lip_live";

/** How many ids a notification carries at most; past that it says "many" (no ids). */
export const LIVE_MAX_IDS = 20;

/**
 * What changed, as the browser receives it: a kind and the ids of what changed (null when many
 * did), never the data itself; each screen re-reads what its session may see. `resync` means
 * "changes may have been missed: refresh everything you show".
 */
export const LIVE_KINDS = ["lead", "activity", "import", "campaign", "reply", "notification", "job", "resync"] as const;
export type LiveKind = (typeof LIVE_KINDS)[number];
export type LiveMessage = { k: LiveKind; ids: string[] | null };

/** A notification as the triggers send it: the workspace it belongs to, the kind and the ids. */
export type LiveNotice = { w: string; k: Exclude<LiveKind, "resync">; ids: string[] | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOTICE_KINDS = new Set<string>(LIVE_KINDS.filter((k) => k !== "resync"));

/** The trigger's payload, or null for anything else on the channel. */
export function parseLiveNotice(payload: string): LiveNotice | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object") return null;
  const { w, k, ids } = value as Record<string, unknown>;
  if (typeof w !== "string" || !UUID.test(w) || typeof k !== "string" || !NOTICE_KINDS.has(k)) return null;
  if (
    ids !== null &&
    ids !== undefined &&
    !(Array.isArray(ids) && ids.length <= LIVE_MAX_IDS && ids.every((id) => typeof id === "string" && UUID.test(id)))
  ) {
    return null;
  }
  return { w, k: k as LiveNotice["k"], ids: (ids as string[] | null | undefined) ?? null };
}

/** Who holds a stream: checked against the session and membership when it opened (and every sweep). */
export type LiveAudience = { workspaceId: string; userId: string; role: WorkspaceRole };

/**
 * Whether a listener may hear of a change: the same rules as the rows' RLS policies, so an
 * event never tells a member about something its screens could not show. Leads, timelines and
 * campaigns: every member. Imports: roles that import. Job runs: admins. A notification: its
 * recipients only (when more than 20 received it, everyone re-reads their own inbox). Replies
 * (the Replies inbox): every member, as reply_classifications' policy.
 */
export function mayHear(audience: LiveAudience, notice: LiveNotice): boolean {
  if (notice.w !== audience.workspaceId) return false;
  switch (notice.k) {
    case "import":
      return can(audience.role, "imports.run");
    case "job":
      return can(audience.role, "jobs.manage");
    case "notification":
      return notice.ids === null || notice.ids.includes(audience.userId);
    default:
      return can(audience.role, "workspace.read");
  }
}

/** What the browser gets: the notification without its workspace, and for a notification without other recipients' ids. */
export function messageFor(notice: LiveNotice): LiveMessage {
  return { k: notice.k, ids: notice.k === "notification" ? null : notice.ids };
}
