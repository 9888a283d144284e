"use server";
import { defineAction } from "@/app/_server/action";
import type { WorkspaceSession } from "@/lib/auth/session";
import { ZCreateSendingIdentity, ZSendingIdentityRef, ZUpdateSendingIdentity } from "@/lib/sending-identities/schemas";
import {
  createSendingIdentity,
  deleteSendingIdentity,
  setSendingIdentityArchived,
  updateSendingIdentity,
  type IdentityActor,
} from "@/lib/sending-identities/sending-identities";
import { updateSendingSettings } from "@/lib/workspaces/sending-settings";
import { ZSendingSettings } from "@/lib/workspaces/sending-settings-schema";

const SENDING_PATH = "/settings/sending";

const actorOf = (session: WorkspaceSession): IdentityActor => ({
  workspaceId: session.current.workspaceId,
  userId: session.userId,
  role: session.current.role,
});

export const addSendingIdentity = defineAction({
  name: "addSendingIdentity",
  schema: ZCreateSendingIdentity,
  auth: "sending.manage",
  handler: ({ session, tx }, fields) => createSendingIdentity(tx, actorOf(session), fields),
  revalidate: [SENDING_PATH],
});

export const saveSendingIdentity = defineAction({
  name: "saveSendingIdentity",
  schema: ZUpdateSendingIdentity,
  auth: "sending.manage",
  handler: ({ session, tx }, { identityId, ...fields }) => updateSendingIdentity(tx, actorOf(session), identityId, fields),
  revalidate: [SENDING_PATH],
});

export const archiveSendingIdentity = defineAction({
  name: "archiveSendingIdentity",
  schema: ZSendingIdentityRef,
  auth: "sending.manage",
  handler: ({ session, tx }, { identityId }) => setSendingIdentityArchived(tx, actorOf(session), identityId, true),
  revalidate: [SENDING_PATH],
});

export const restoreSendingIdentity = defineAction({
  name: "restoreSendingIdentity",
  schema: ZSendingIdentityRef,
  auth: "sending.manage",
  handler: ({ session, tx }, { identityId }) => setSendingIdentityArchived(tx, actorOf(session), identityId, false),
  revalidate: [SENDING_PATH],
});

export const removeSendingIdentity = defineAction({
  name: "removeSendingIdentity",
  schema: ZSendingIdentityRef,
  auth: "sending.manage",
  handler: ({ session, tx }, { identityId }) => deleteSendingIdentity(tx, actorOf(session), identityId),
  revalidate: [SENDING_PATH],
});

/** The workspace's time zone and bounce breaker thresholds (admins). */
export const saveSendingSettings = defineAction({
  name: "saveSendingSettings",
  schema: ZSendingSettings,
  auth: "sending.manage",
  handler: ({ session, tx }, input) => updateSendingSettings(tx, actorOf(session), input),
  revalidate: [SENDING_PATH],
});
