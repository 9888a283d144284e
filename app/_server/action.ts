import "server-only";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import type { z } from "zod";
import { executeAction, type ActionAuth, type ActionDefinition, type ActionResult } from "@/lib/actions/execute-action";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { getSession } from "./session";

export type DefinedAction<S extends z.ZodType, T> = ((input: z.input<S>) => Promise<ActionResult<T>>) & {
  definition: ActionDefinition<S, T, ActionAuth>;
};

/**
 * The one wrapper every server action goes through (STYLE.md §4): parse with the form's zod
 * schema, load the verified session, count it against the person's (or, signed out, the client
 * IP's) and the workspace's rate limits, check the permission, run the service, revalidate.
 */
export function defineAction<S extends z.ZodType, T, A extends ActionAuth>(
  definition: ActionDefinition<S, T, A> & { revalidate?: string[] },
): DefinedAction<S, T> {
  const action = async (input: z.input<S>) => {
    const caller = { ip: clientIpFromHeaders(await headers()) };
    const result = await executeAction(definition, await getSession(), input, caller);
    if (result.ok) for (const path of definition.revalidate ?? []) revalidatePath(path, "layout");
    return result;
  };
  return Object.assign(action, { definition: definition as unknown as ActionDefinition<S, T, ActionAuth> });
}
