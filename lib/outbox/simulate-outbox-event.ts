import "server-only";
import { randomUUID } from "node:crypto";
import { serviceDb } from "@/db";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { keepsMailInOutbox } from "@/lib/email/delivery";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { extractLinks } from "./extract-links";
import { storeReceivedEmail } from "./received";
import type { OutboxSimulation, SimulateOutboxEventInput } from "./simulations";
import { findWorkspaceOutboxMessage, type OutboxMessage } from "./store";
import { emitOutboxEvent, headerValue, queueWebhookDeliveries, rfcMessageIdOf } from "./webhook-events";

/**
 * The Outbox page's "simulate" actions: what a real provider would report about a message
 * (delivered, opened, clicked, a hard bounce, a complaint) or a reply arriving at its reply
 * address, announced to the app's webhook route exactly as Resend would, so the same
 * processing runs. A development/demo stand-in: only where the outbox exists (never with a
 * real provider), only for the workspace's own product mail, and only by an admin, because a
 * simulated bounce or complaint suppresses the address, ends the lead's sequences and can
 * pause the campaign through the bounce breaker, which only an admin may do by hand.
 */
export async function simulateOutboxEvent(
  actor: { workspaceId: string; role: WorkspaceRole },
  input: SimulateOutboxEventInput,
): Promise<{ eventId: string; receivedEmailId?: string }> {
  if (!keepsMailInOutbox())
    throw new AppError("unavailable", "This server sends mail through a real provider: there is no outbox to simulate in.");
  if (!can(actor.role, "outbox.simulate")) throw forbidden("Only an admin of this workspace can simulate email events.");
  const message = await findWorkspaceOutboxMessage(actor.workspaceId, input.messageId);
  if (!message) throw notFound("That message");

  if (input.kind === "replied") return simulateReply(message, input.replyText ?? "");
  const eventId = await emitOutboxEvent(EVENT_OF[input.kind], message, extraData(input.kind, message));
  return { eventId };
}

const EVENT_OF = {
  delivered: "email.delivered",
  opened: "email.opened",
  clicked: "email.clicked",
  bounced: "email.bounced",
  complained: "email.complained",
} as const satisfies Record<Exclude<OutboxSimulation, "replied">, string>;

function extraData(kind: Exclude<OutboxSimulation, "replied">, message: OutboxMessage): Record<string, unknown> {
  const now = new Date().toISOString();
  if (kind === "clicked") {
    return { click: { ipAddress: "192.0.2.10", link: clickedLink(message), timestamp: now, userAgent: "Mozilla/5.0 (outbox simulation)" } };
  }
  if (kind === "bounced") {
    const to = message.toAddresses[0] ?? "";
    return {
      bounce: {
        message: `The recipient's mail server rejected the address ${to}: 550 5.1.1 user unknown (simulated).`,
        type: "Permanent",
        subType: "General",
        diagnosticCode: [`smtp; 550 5.1.1 <${to}>: Recipient address rejected: User unknown`],
      },
    };
  }
  return {};
}

/** The first link a reader would click: not the unsubscribe link. */
function clickedLink(message: OutboxMessage): string {
  const links = extractLinks(`${message.textBody ?? ""} ${message.html ?? ""}`);
  return links.find((link) => !/unsubscribe/i.test(link)) ?? links[0] ?? "https://example.com/";
}

const bareAddress = (address: string) => /<([^>]+)>/.exec(address)?.[1] ?? address.trim();

/**
 * The recipient answers: a received email threaded on the message (In-Reply-To its
 * Message-ID, References its thread), sent to its reply address, fetched by the app with
 * resend.emails.receiving.get and announced by `email.received` (metadata only, as Resend's).
 */
async function simulateReply(message: OutboxMessage, replyText: string): Promise<{ eventId: string; receivedEmailId: string }> {
  const original = rfcMessageIdOf(message);
  const references = [headerValue(message.headers, "references"), original].filter(Boolean).join(" ");
  const from = message.toAddresses[0]!;
  const to = message.replyTo.length > 0 ? message.replyTo : [bareAddress(message.fromAddress)];
  const subject = /^re:/i.test(message.subject) ? message.subject : `Re: ${message.subject}`;
  const domain = bareAddress(from).split("@")[1] ?? "reply.example";
  const messageId = `<${randomUUID()}@${domain}>`;
  const quoted = (message.textBody ?? "")
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  const text = `${replyText}\n\nOn ${message.createdAt.toUTCString()}, ${message.fromAddress} wrote:\n${quoted}`;
  const date = new Date();

  return serviceDb().transaction(async (tx) => {
    const received = await storeReceivedEmail(tx, {
      replyToMessageId: message.id,
      from,
      to,
      subject,
      text,
      html: null,
      // Keys in lower case, as mail parsers give them; receivers should not rely on either casing.
      headers: {
        "message-id": messageId,
        "in-reply-to": original,
        references,
        from,
        to: to.join(", "),
        subject,
        date: date.toUTCString(),
      },
      messageId,
    });
    const [eventId] = await queueWebhookDeliveries(tx, [
      {
        type: "email.received",
        emailId: received.id,
        data: {
          email_id: received.id,
          created_at: received.created_at,
          from: received.from,
          to: received.to,
          bcc: [],
          cc: [],
          received_for: received.received_for,
          message_id: received.message_id,
          subject: received.subject,
          attachments: [],
        },
      },
    ]);
    return { eventId: eventId!, receivedEmailId: received.id };
  });
}
