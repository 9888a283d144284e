import { z } from "zod";

export const ZMarkNotificationsRead = z.object({
  ids: z.array(z.uuid("That notification is not valid.")).min(1, "Choose a notification.").max(100),
});
export const ZNoInput = z.object({}).strict();
export const ZNotificationEmails = z.object({ emailEnabled: z.boolean({ message: "Choose on or off." }) });
