import { keepsMailInOutbox } from "@/lib/email/delivery";
import type { Env } from "@/lib/env";
import { outboxWebhookTarget } from "@/lib/outbox/webhook-delivery";

/**
 * The app's own routes that the launcher's background work calls over HTTP: the embedded
 * outbox's Resend API (every email the job executor sends) and the Resend webhook route (the
 * outbox's event deliveries). `next dev` compiles a route on its first request, and that took
 * 8–20 s here on a busy machine; while it compiled, the sends the executor resumed at start-up
 * (the demo's queued emails, notifications and campaign steps that fell due while the app was
 * stopped) queued behind it, and some outlived their 20 s timeout: each printed
 * "[email] send failed: application_error" and used up a retry of its job. Asked for here first,
 * the routes are compiled before the first send.
 *
 * A GET is enough to load a route and changes nothing: the outbox API refuses it without a key
 * (401), the webhook route has no GET (405).
 */
export function backgroundRoutes(e: Env, origin: string): string[] {
  const routes: string[] = [];
  // Without RESEND_API_KEY, email goes through this app's outbox (lib/email/send-email.ts).
  if (!e.RESEND_API_KEY && !e.RESEND_BASE_URL && keepsMailInOutbox(e)) routes.push(`${origin}/api/local-resend/emails`);
  const webhook = outboxWebhookTarget(e);
  if (webhook) {
    const url = new URL(webhook.url);
    routes.push(`${origin}${url.pathname}${url.search}`);
  }
  return routes;
}

/**
 * Waits until each route has answered once, with anything (Next answers a route's first request
 * once it has compiled it). False if one still had not answered by the deadline: the launcher
 * starts the background work anyway, as it did before, rather than not at all.
 */
export async function untilRoutesAnswer(urls: string[], { timeoutMs = 120_000, retryMs = 500 } = {}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const answered = await Promise.all(
    urls.map(async (url) => {
      while (Date.now() < deadline) {
        try {
          const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
          await response.body?.cancel().catch(() => {});
          return true;
        } catch {
          // not answering yet (or our own deadline passed)
        }
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
      return false;
    }),
  );
  return answered.every(Boolean);
}
