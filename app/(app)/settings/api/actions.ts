"use server";
import { defineAction } from "@/app/_server/action";
import { createApiKey, revokeApiKey, type ApiKeyActor } from "@/lib/api-keys/manage-api-keys";
import { ZCreateApiKey, ZRevokeApiKey } from "@/lib/api-keys/schemas";
import type { WorkspaceSession } from "@/lib/auth/session";

const API_PATH = "/settings/api";

const actorOf = (session: WorkspaceSession): ApiKeyActor => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

/** Returns the secret: the one time it is shown. */
export const createApiKeyAction = defineAction({
  name: "createApiKeyAction",
  schema: ZCreateApiKey,
  auth: "api.manage",
  handler: ({ session, tx }, input) => createApiKey(tx, actorOf(session), input),
  revalidate: [API_PATH],
});

export const revokeApiKeyAction = defineAction({
  name: "revokeApiKeyAction",
  schema: ZRevokeApiKey,
  auth: "api.manage",
  handler: ({ session, tx }, input) => revokeApiKey(tx, actorOf(session), input),
  revalidate: [API_PATH],
});
