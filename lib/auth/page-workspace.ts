import type { Session } from "./session";

/** The query parameter a download link carries: the workspace of the page it was on. */
export const PAGE_WORKSPACE_PARAM = "workspace";

/**
 * Why a request from a page must not act on the session's current workspace, or null when it
 * may: the page shows another workspace than the one the person has switched to since (in
 * another tab; the choice is one cookie for all tabs), or one they are no longer a member of.
 * Acting anyway would change, or export, the other workspace's leads under this page's filter.
 * `nothing` says what was not done ("nothing was changed", "nothing was exported").
 */
export function switchedWorkspaceRefusal(session: Session, pageWorkspaceId: string | null | undefined, nothing: string): string | null {
  const current = session.current;
  if (!pageWorkspaceId || !current || pageWorkspaceId === current.workspaceId) return null;
  const shown = session.memberships.find((m) => m.workspaceId === pageWorkspaceId)?.workspaceName;
  const why = shown
    ? `This page shows ${shown}, but you have switched to ${current.workspaceName} since (in another tab or window)`
    : "This page shows a workspace you are no longer a member of";
  return `${why}, so ${nothing}. Reload the page to continue in ${current.workspaceName}.`;
}
