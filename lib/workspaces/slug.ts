import { randomBytes } from "node:crypto";

/**
 * A URL-safe slug from a workspace's name, with a random tail: names need not be unique, slugs
 * must be, and a new workspace never has to retry after losing a race for one. Matches the
 * workspaces_slug_format check (`^[a-z0-9][a-z0-9-]{1,62}$`).
 */
export function workspaceSlug(name: string): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 48)
      .replace(/-+$/, "") || "workspace";
  return `${base}-${randomBytes(3).toString("hex")}`;
}
