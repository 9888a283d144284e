const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The workspace an event belongs to: its `data.workspaceId`, when that is a uuid. */
export function workspaceOf(data: Record<string, unknown>): string | null {
  const id = data.workspaceId;
  return typeof id === "string" && UUID.test(id) ? id : null;
}
