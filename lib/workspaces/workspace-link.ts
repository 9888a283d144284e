import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { env } from "@/lib/env";

/**
 * The current workspace of a browser: a cookie (shared by its tabs) that the session honours only
 * while the person is a member of that workspace (lib/auth/session.ts, resolveSession).
 */
export const WORKSPACE_COOKIE = "lip-workspace";

export function workspaceCookieOptions() {
  return { httpOnly: true, sameSite: "lax", path: "/", secure: new URL(env().APP_URL).protocol === "https:" } as const;
}

const WORKSPACE_PARAM = "workspace";

/**
 * An app path that opens in `workspaceId` whatever workspace the browser was in: for links that
 * leave the app (notification emails), which the person may open while working in another of
 * their workspaces (the page would then look for the item there and say it was not found).
 */
export function linkInWorkspace(path: string, workspaceId: string): string {
  const url = new URL(path, "http://app.invalid");
  url.searchParams.set(WORKSPACE_PARAM, workspaceId);
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The proxy's side of linkInWorkspace: a signed-in page request naming a workspace makes it
 * the current one and comes back without the parameter (so a reload or a shared URL does not
 * switch again). A workspace the person is not a member of changes nothing: the session ignores
 * it. Null when the request names none.
 */
export function switchFromLink(request: NextRequest, response: NextResponse): NextResponse | null {
  const asked = request.nextUrl.searchParams.get(WORKSPACE_PARAM);
  if (asked === null || request.method !== "GET" || request.nextUrl.pathname.startsWith("/api/")) return null;
  const url = request.nextUrl.clone();
  url.searchParams.delete(WORKSPACE_PARAM);
  const redirect = NextResponse.redirect(url);
  for (const cookie of response.cookies.getAll()) redirect.cookies.set(cookie);
  if (z.uuid().safeParse(asked).success) redirect.cookies.set(WORKSPACE_COOKIE, asked, workspaceCookieOptions());
  return redirect;
}
