import "server-only";
import { z } from "zod";
import { serviceDb, withUserTx, type Database } from "@/db";
import { can, type Permission } from "@/lib/auth/permissions";
import type { Session, WorkspaceSession } from "@/lib/auth/session";
import { switchedWorkspaceRefusal } from "@/lib/auth/page-workspace";
import { isSessionLive } from "@/lib/auth/session-liveness";
import { AppError } from "@/lib/errors";
import { actionsPerIp, actionsPerUser, workspaceLimit, type WorkspaceLimitKind } from "@/lib/rate-limit/policies";
import { RateLimitedError, tryAgainSoonMessage } from "@/lib/rate-limit/rate-limited";
import { consumeRequest } from "@/lib/rate-limit/request-limit";
import { unsavableText } from "./unsavable-text";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; code: string; fieldErrors?: Record<string, string[]>; retryAfterSeconds?: number; existingId?: string };

type Context<Auth> = Auth extends "public"
  ? { session: Session | null }
  : Auth extends "signed-in"
    ? { session: Session }
    : { session: WorkspaceSession; tx: Database };

/**
 * What an action needs before its handler runs:
 *  - "public": nothing (login, accepting an invitation as a new user);
 *  - "signed-in": a verified session, any workspace or none (accepting an invitation);
 *  - a Permission: a session whose current workspace role grants it. The handler then runs
 *    in one RLS-scoped transaction, so a failure leaves nothing half-written.
 */
export type ActionAuth = "public" | "signed-in" | Permission;

export type ActionDefinition<S extends z.ZodType, T, A extends ActionAuth> = {
  name: string;
  schema: S;
  auth: A;
  handler: (context: Context<A>, input: z.output<S>) => Promise<T>;
  /**
   * For actions with a Permission: runs after the handler's transaction committed, with its
   * result (and may replace it). Where background work starts: an event sent inside the
   * transaction could start a job before its rows exist, or outlive a rollback.
   */
  afterCommit?: (context: { session: WorkspaceSession }, result: T) => Promise<T>;
  /**
   * For actions with a Permission: a limit on the whole workspace besides the per-person one
   * every action has (lib/rate-limit/policies.ts), counted once the permission is checked.
   */
  workspaceLimit?: WorkspaceLimitKind;
};

/**
 * The workspace the page that sent an action was drawn for (useAction sends it). The current
 * workspace is a cookie every tab shares: after a switch in another tab, an action from a tab
 * still showing the old workspace would otherwise land in the new one (an invitation, an API
 * key, an integration's key in the wrong workspace).
 */
export type PagePin = { workspaceId: string };
export const ZPagePin = z.object({ workspaceId: z.uuid() }).optional();

/** Who sent the request, as the app wrapper reads it; absent outside a request (tests, scripts). */
export type ActionCaller = { ip: string; page?: PagePin };

const SESSION_ENDED = "Your session has ended. Log in again to continue.";
const GENERIC_ERROR = "Something went wrong on our side. Try again; if it keeps happening, tell your admin.";

export async function executeAction<S extends z.ZodType, T, A extends ActionAuth>(
  definition: ActionDefinition<S, T, A>,
  session: Session | null,
  rawInput: unknown,
  caller?: ActionCaller,
): Promise<ActionResult<T>> {
  try {
    const unsavable = unsavableText(rawInput);
    if (unsavable.length > 0) {
      // Named as the form's field errors are: by the field at the top of the path.
      const fieldErrors = Object.fromEntries(unsavable.map(({ path, message }) => [String(path[0] ?? "form"), [message]]));
      return { ok: false, code: "invalid_input", error: "Some fields need attention.", fieldErrors };
    }
    const parsed = definition.schema.safeParse(rawInput);
    if (!parsed.success) {
      return {
        ok: false,
        code: "invalid_input",
        error: "Some fields need attention.",
        fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>,
      };
    }
    const data = await runAuthorized(definition, session, parsed.data, caller);
    return { ok: true, data };
  } catch (error) {
    if (error instanceof RateLimitedError)
      return { ok: false, code: "rate_limited", error: tryAgainSoonMessage(error), retryAfterSeconds: error.retryAfterSeconds };
    if (error instanceof AppError) {
      return {
        ok: false,
        code: error.code,
        error: error.message,
        fieldErrors: error.fieldErrors,
        ...(error.existingId ? { existingId: error.existingId } : {}),
      };
    }
    console.error(`[action ${definition.name}]`, error);
    return { ok: false, code: "internal", error: GENERIC_ERROR };
  }
}

async function runAuthorized<S extends z.ZodType, T, A extends ActionAuth>(
  definition: ActionDefinition<S, T, A>,
  session: Session | null,
  input: z.output<S>,
  caller: ActionCaller | undefined,
): Promise<T> {
  const { auth, handler } = definition as unknown as ActionDefinition<S, T, ActionAuth> & {
    handler: (context: unknown, input: z.output<S>) => Promise<T>;
  };
  if (auth === "public") {
    // Counted per person when signed in, else per client IP (when there is a request to tell it).
    if (session) await consumeRequest(actionsPerUser(), session.userId);
    else if (caller) await consumeRequest(actionsPerIp(), caller.ip);
    return handler({ session }, input);
  }
  if (!session) throw new AppError("unauthenticated", SESSION_ENDED);
  // A signed token outlives sign-out, reuse revocation and bans: a change needs a live session.
  if (!(await isSessionLive(serviceDb(), session.claims))) throw new AppError("unauthenticated", SESSION_ENDED);
  // Every action a person sends counts, whatever it asks: a script looping any one of them is held off.
  await consumeRequest(actionsPerUser(), session.userId);
  if (auth === "signed-in") return handler({ session }, input);
  const current = session.current;
  if (!current) throw new AppError("forbidden", "You are not a member of any workspace yet.");
  const switched = switchedWorkspaceRefusal(session, caller?.page?.workspaceId, "nothing was changed");
  if (switched) throw new AppError("conflict", switched);
  if (!can(current.role, auth)) throw new AppError("forbidden", "Your role does not allow this. Ask an admin of this workspace.");
  if (definition.workspaceLimit) await consumeRequest(workspaceLimit(definition.workspaceLimit), current.workspaceId);
  const workspaceSession = { ...session, current };
  const result = await withUserTx(session.claims, (tx) => handler({ session: workspaceSession, tx }, input));
  return definition.afterCommit ? definition.afterCommit({ session: workspaceSession }, result) : result;
}
