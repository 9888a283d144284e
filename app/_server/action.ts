import "server-only";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import type { z } from "zod";
import {
  executeAction,
  ZPagePin,
  type ActionAuth,
  type ActionDefinition,
  type ActionResult,
  type PagePin,
} from "@/lib/actions/execute-action";
import { clientIpFromHeaders } from "@/lib/rate-limit/client-ip";
import { getSession } from "./session";

export type DefinedAction<S extends z.ZodType, T> = ((input: z.input<S>, page?: PagePin) => Promise<ActionResult<T>>) & {
  definition: ActionDefinition<S, T, ActionAuth>;
};

/**
 * The one wrapper every server action goes through (STYLE.md §4): parse with the form's zod
 * schema, load the verified session, count it against the person's (or, signed out, the client
 * IP's) and the workspace's rate limits, check the permission (in the workspace the sending page
 * shows, when it says: PagePin), run the service, revalidate.
 */
export function defineAction<S extends z.ZodType, T, A extends ActionAuth>(
  definition: ActionDefinition<S, T, A> & { revalidate?: string[] },
): DefinedAction<S, T> {
  const action = async (input: z.input<S>, page?: PagePin) => {
    // Input like the rest: a pin that is not one is ignored rather than trusted.
    const pin = ZPagePin.safeParse(page);
    const caller = { ip: clientIpFromHeaders(await headers()), page: pin.success ? pin.data : undefined };
    const result = await executeAction(definition, await getSession(), input, caller);
    if (result.ok) for (const path of definition.revalidate ?? []) revalidatePath(path, "layout");
    return result;
  };
  return Object.assign(action, { definition: definition as unknown as ActionDefinition<S, T, ActionAuth> });
}
