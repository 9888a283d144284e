import type { Metadata } from "next";
import { requirePageSession } from "@/app/_server/session";
import { Badge } from "@/components/ui/badge";
import { Disclosure } from "@/components/ui/disclosure";
import { LocalTime } from "@/components/ui/local-time";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { withUserTx } from "@/db";
import { WEBHOOK_LOG_RETENTION_DAYS } from "@/lib/webhooks/prune-webhook-log";
import { listWebhookAttempts, listWebhookDeliveries, type WebhookAttemptView, type WebhookDeliveryView } from "@/lib/webhooks/deliveries";
import { listWebhookEndpoints, type WebhookActor, type WebhookEndpointView } from "@/lib/webhooks/endpoints";
import { CreateWebhookForm } from "./create-webhook-form";
import { EndpointActions, RedeliverButton } from "./endpoint-actions";

export const metadata: Metadata = { title: "Webhooks" };

type EndpointWithLog = WebhookEndpointView & { deliveries: (WebhookDeliveryView & { attemptsLog: WebhookAttemptView[] })[] };

export default async function WebhooksSettingsPage() {
  const session = await requirePageSession("webhooks.manage");
  const actor: WebhookActor = { workspaceId: session.current.workspaceId, userId: session.userId, role: session.current.role };
  const endpoints: EndpointWithLog[] = await withUserTx(session.claims, async (tx) => {
    const list = await listWebhookEndpoints(tx, actor);
    const withLogs: EndpointWithLog[] = [];
    for (const endpoint of list) {
      const deliveries = await listWebhookDeliveries(tx, actor, { endpointId: endpoint.id, limit: 20 });
      const logged = [];
      for (const d of deliveries) logged.push({ ...d, attemptsLog: await listWebhookAttempts(tx, actor, d.id) });
      withLogs.push({ ...endpoint, deliveries: logged });
    }
    return withLogs;
  });
  return (
    <div className="max-w-4xl space-y-6">
      <AutoRefresh active={endpoints.some((e) => e.deliveries.some((d) => d.status === "pending"))} everyMs={3000} />
      <section aria-labelledby="add-webhook" className="rounded-lg border border-zinc-200 bg-white p-4">
        <h2 id="add-webhook" className="mb-1 text-sm font-semibold">
          Add a webhook endpoint
        </h2>
        <p className="mb-3 text-xs text-zinc-600">
          Other systems (a CRM, Zapier, your own server) hear about leads, imports, campaigns and emails as they happen. Each delivery
          carries <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code> headers (Standard Webhooks):
          verify them with the signing secret. A failed delivery is retried after 5 s, 5 min, 30 min, 2 h, 5 h and 10 h; an endpoint whose
          last 5 events all failed, or that has failed for 5 days, is disabled and admins are told. The delivery log keeps{" "}
          {WEBHOOK_LOG_RETENTION_DAYS} days.
        </p>
        <CreateWebhookForm />
      </section>
      {endpoints.length === 0 ? (
        <p className="text-sm text-zinc-600">No endpoints yet: add one above to start sending events.</p>
      ) : (
        endpoints.map((endpoint) => <EndpointSection key={endpoint.id} endpoint={endpoint} />)
      )}
    </div>
  );
}

const DELIVERY_STATUS = {
  pending: { label: "Retrying", tone: "amber" },
  succeeded: { label: "Delivered", tone: "green" },
  failed: { label: "Failed", tone: "red" },
} as const;

function EndpointSection({ endpoint }: { endpoint: EndpointWithLog }) {
  const headingId = `endpoint-${endpoint.id}`;
  const previousActive = endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt.getTime() > Date.now();
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-zinc-200 bg-white">
      <div className="flex flex-wrap items-start justify-between gap-4 border-b border-zinc-200 px-4 py-3">
        <div className="min-w-0 space-y-1">
          <h2 id={headingId} className="text-sm font-semibold break-all">
            {endpoint.url}
          </h2>
          {endpoint.description ? <p className="text-xs text-zinc-600">{endpoint.description}</p> : null}
          <p className="text-xs text-zinc-600">Events: {endpoint.eventTypes.join(", ")}</p>
          {endpoint.secretRotatedAt ? (
            <p className="text-xs text-zinc-600">
              Signing secret rotated <LocalTime value={endpoint.secretRotatedAt} withTime />
              {previousActive ? (
                <>
                  ; the previous one also signs until <LocalTime value={endpoint.previousSecretExpiresAt!} withTime />
                </>
              ) : null}
              .
            </p>
          ) : null}
          {endpoint.enabled ? (
            <Badge tone="green">Enabled</Badge>
          ) : (
            <p className="text-xs text-red-700">
              <Badge tone="red">Disabled</Badge> {endpoint.disabledReason}
            </p>
          )}
        </div>
        <EndpointActions
          endpointId={endpoint.id}
          endpoint={{ url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes }}
          enabled={endpoint.enabled}
          previousSecretActive={previousActive}
        />
      </div>
      {endpoint.deliveries.length === 0 ? (
        <p className="px-4 py-3 text-sm text-zinc-600">
          No deliveries in the last {WEBHOOK_LOG_RETENTION_DAYS} days. Events you subscribed to show here as they are sent.
        </p>
      ) : (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Recent deliveries to {endpoint.url}</caption>
          <thead className="text-xs text-zinc-600">
            <tr className="border-b border-zinc-200">
              <th scope="col" className="px-4 py-2 font-medium">
                Event
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Status
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Attempts
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Created
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {endpoint.deliveries.map((d) => (
              <tr key={d.id} className="border-b border-zinc-100 align-top last:border-0">
                <td className="px-4 py-2">
                  <code className="text-xs font-semibold">{d.eventType}</code>
                  <span className="block font-mono text-xs text-zinc-500">{d.webhookId}</span>
                </td>
                <td className="px-4 py-2">
                  <Badge tone={DELIVERY_STATUS[d.status].tone}>{DELIVERY_STATUS[d.status].label}</Badge>
                  {d.lastStatusCode !== null ? <span className="ml-2 text-xs text-zinc-600">HTTP {d.lastStatusCode}</span> : null}
                  {d.nextAttemptAt ? (
                    <span className="block text-xs text-zinc-500">
                      Next attempt <LocalTime value={d.nextAttemptAt} withTime />
                    </span>
                  ) : null}
                </td>
                <td className="px-4 py-2">
                  <Disclosure>
                    <summary className="cursor-pointer text-xs">
                      {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
                    </summary>
                    <ol className="mt-1 space-y-1 text-xs text-zinc-700">
                      {d.attemptsLog.map((a) => (
                        <li key={a.attempt}>
                          #{a.attempt} {a.manual ? "(redelivery) " : ""}
                          {a.ok ? "delivered" : "failed"}
                          {a.statusCode !== null ? `, HTTP ${a.statusCode}` : ""}, {a.durationMs} ms,{" "}
                          <LocalTime value={a.attemptedAt} withTime />
                          {a.error ? <span className="block break-all text-red-700">{a.error}</span> : null}
                        </li>
                      ))}
                    </ol>
                  </Disclosure>
                </td>
                <td className="px-4 py-2 text-xs text-zinc-600">
                  <LocalTime value={d.createdAt} withTime />
                </td>
                <td className="px-4 py-2 text-right">
                  <RedeliverButton deliveryId={d.id} eventType={d.eventType} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
