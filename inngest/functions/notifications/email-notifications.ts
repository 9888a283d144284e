import { serviceDb } from "@/db";
import { inngest, notificationEmailRequested, type EventContext } from "@/inngest/client";
import { emailNotification } from "@/lib/notifications/email-notification";

/**
 * The email copy of in-app notifications (lib/notifications): one step per notification, so a
 * retry resends none that already went (each is also sent once per idempotency key).
 */
export async function emailNotifications({ event, step }: EventContext<"notifications/email.requested">) {
  const outcomes = [];
  for (const notificationId of event.data.notificationIds) {
    outcomes.push(
      await step.run(`email-${notificationId}`, () =>
        emailNotification(serviceDb(), { workspaceId: event.data.workspaceId, notificationId }),
      ),
    );
  }
  return { emailed: outcomes.filter((o) => o.emailed).length, skipped: outcomes.filter((o) => !o.emailed).length };
}

export const emailNotificationsFunction = inngest.createFunction(
  {
    id: "email-notifications",
    name: "Email notifications",
    triggers: [notificationEmailRequested],
    retries: 3,
  },
  emailNotifications,
);
