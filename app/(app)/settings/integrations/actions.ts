"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import {
  connectIntegrationAccount,
  disconnectIntegrationAccount,
  rotateIntegrationAccountKey,
  type IntegrationActor,
} from "@/lib/integrations/accounts/accounts";
import { connectIntegrationSandbox } from "@/lib/integrations/accounts/connect-sandbox";
import { recheckIntegrationAccount } from "@/lib/integrations/accounts/integration-key";
import { requestInstantlySync } from "@/lib/integrations/instantly/request-sync";
import { ZConnectIntegration, ZConnectSandbox, ZIntegrationAccountRef, ZRotateIntegrationKey } from "@/lib/integrations/accounts/schemas";

const INTEGRATIONS_PATH = "/settings/integrations";

const actorOf = (session: WorkspaceSession): IntegrationActor => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

/** Every answer is the account's view: its status and ••••last4, never the key. */
export const connectIntegration = defineAction({
  name: "connectIntegration",
  workspaceLimit: "vendor-calls",
  schema: ZConnectIntegration,
  auth: "integrations.manage",
  handler: ({ session, tx }, input) => connectIntegrationAccount(tx, actorOf(session), input),
  revalidate: [INTEGRATIONS_PATH],
});

/** Sample data served by the app itself, for trying the flows without a key. */
export const connectSandbox = defineAction({
  name: "connectSandbox",
  schema: ZConnectSandbox,
  auth: "integrations.manage",
  handler: ({ session, tx }, input) => connectIntegrationSandbox(tx, actorOf(session), input),
  revalidate: [INTEGRATIONS_PATH],
});

export const rotateIntegrationKey = defineAction({
  name: "rotateIntegrationKey",
  workspaceLimit: "vendor-calls",
  schema: ZRotateIntegrationKey,
  auth: "integrations.manage",
  handler: ({ session, tx }, input) => rotateIntegrationAccountKey(tx, actorOf(session), input),
  revalidate: [INTEGRATIONS_PATH],
});

export const checkIntegration = defineAction({
  name: "checkIntegration",
  workspaceLimit: "vendor-calls",
  schema: ZIntegrationAccountRef,
  auth: "integrations.manage",
  handler: ({ session, tx }, input) => recheckIntegrationAccount(tx, actorOf(session), input),
  revalidate: [INTEGRATIONS_PATH],
});

export const disconnectIntegration = defineAction({
  name: "disconnectIntegration",
  schema: ZIntegrationAccountRef,
  auth: "integrations.manage",
  handler: ({ session, tx }, input) => disconnectIntegrationAccount(tx, actorOf(session), input),
  revalidate: [INTEGRATIONS_PATH],
});

/** Instantly's hourly sync, now: queued, and shown on the Jobs page. */
export const syncInstantlyNow = defineAction({
  name: "syncInstantlyNow",
  workspaceLimit: "vendor-runs",
  schema: ZIntegrationAccountRef,
  auth: "integrations.manage",
  handler: ({ session, tx }, input) => requestInstantlySync(tx, actorOf(session), input),
  revalidate: [INTEGRATIONS_PATH],
});
