import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db";
import { emailMessages } from "@/db/schema";
import type { OutboundEventData } from "./resend-payload";

const messageColumns = {
  id: emailMessages.id,
  workspaceId: emailMessages.workspaceId,
  campaignId: emailMessages.campaignId,
  enrollmentId: emailMessages.enrollmentId,
  leadId: emailMessages.leadId,
  providerId: emailMessages.providerId,
  toEmail: emailMessages.toEmail,
  subject: emailMessages.subject,
  status: emailMessages.status,
};

export type EventMessage = {
  id: string;
  workspaceId: string;
  campaignId: string;
  enrollmentId: string;
  leadId: string;
  providerId: string | null;
  toEmail: string | null;
  subject: string | null;
  status: string;
};

/** `untraced`: no message at all (rather than one the delivery contradicts), so it may be noted under its tagged workspace. */
export type FoundMessage = { message: EventMessage } | { unknown: string; untraced?: true };

const isUuid = (value: string | undefined): value is string => z.uuid().safeParse(value).success;

/**
 * The message an outbound event is about: the `message_id` tag the send step put on it, else
 * Resend's email id. The workspace is the message row's, never the tags' word: a delivery whose
 * tags name another workspace, or whose email id is not the tagged message's, is treated as
 * unknown and changes nothing anywhere (a tenant's data is touched only through its own row).
 */
export async function findEventMessage(tx: Executor, data: OutboundEventData): Promise<FoundMessage> {
  const tagged = data.tags.message_id;
  let message: EventMessage | undefined;
  if (isUuid(tagged)) {
    [message] = await tx.select(messageColumns).from(emailMessages).where(eq(emailMessages.id, tagged)).limit(1);
    if (message?.providerId && message.providerId !== data.email_id) return { unknown: "its email id is not the tagged message's" };
  }
  if (!message) [message] = await tx.select(messageColumns).from(emailMessages).where(eq(emailMessages.providerId, data.email_id)).limit(1);
  if (!message) return { unknown: "no campaign message has this id", untraced: true };
  const claimed = data.tags.workspace_id;
  if (claimed !== undefined && claimed !== message.workspaceId) return { unknown: "its tags name another workspace than the message's" };
  return { message };
}
