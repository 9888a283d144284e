import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { Webhook } from "standardwebhooks";
import { openPostgres } from "@/db/postgres-target";

/**
 * The webhook fan-out of bench:webhooks and bench:api: `events` leads inserted in one statement
 * into a new workspace with one endpoint subscribed to lead.created (the outbox trigger records an
 * event and a delivery each), then the delivery service sends them all to a local receiver
 * (through the SSRF guard, with the test-only loopback override) until none is due. Counts events
 * lost (never received) and duplicated (a webhook-id received twice, or an attempt row recorded
 * twice), and verifies every signature with the standardwebhooks library. The database at `url`
 * is migrated and the process's environment points the app's modules at it.
 */
export type FanoutFigures = {
  events: number;
  recordMs: number;
  seconds: number;
  attempted: number;
  deliveries: number;
  succeeded: number;
  received: number;
  lost: number;
  duplicated: number;
  badSignatures: number;
};

const quiet = () => {};

export async function measureWebhookFanout(
  url: string,
  { events, concurrency, batch, slug = "bench-webhooks" }: { events: number; concurrency: number; batch: number; slug?: string },
): Promise<FanoutFigures> {
  const seen = new Map<string, number>();
  let badSignatures = 0;
  let verify: Webhook | null = null;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = String(req.headers["webhook-id"]);
      try {
        verify!.verify(Buffer.concat(chunks).toString("utf8"), {
          "webhook-id": id,
          "webhook-timestamp": String(req.headers["webhook-timestamp"]),
          "webhook-signature": String(req.headers["webhook-signature"]),
        });
      } catch {
        badSignatures++;
      }
      seen.set(id, (seen.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const sql = openPostgres(url, { max: 2, onnotice: quiet });
  try {
    const { serviceDb } = await import("@/db");
    const { deliverDueWebhooks } = await import("@/lib/webhooks/deliver");
    const { newSigningSecret, sealSigningSecret } = await import("@/lib/webhooks/signing");

    const [ws] = await sql<{ id: string }[]>`insert into public.workspaces (name, slug) values ('Bench GmbH', ${slug}) returning id`;
    const workspaceId = ws!.id;
    const secret = newSigningSecret();
    verify = new Webhook(secret);
    const endpointId = crypto.randomUUID();
    const sealed = sealSigningSecret(secret, workspaceId, endpointId);
    await sql`insert into webhook_endpoints (id, workspace_id, url, event_types, secret_ciphertext, secret_key_id)
      values (${endpointId}, ${workspaceId}, ${receiverUrl}, '{lead.created}', ${sealed.ciphertext}, ${sealed.keyId})`;

    let started = Date.now();
    await sql`insert into leads (workspace_id, first_name, last_name, email)
      select ${workspaceId}, 'Zoë', 'Müller-' || i, 'lead-' || i || '@bench.example' from generate_series(1, ${events}) i`;
    const recordMs = Date.now() - started;
    console.log(
      `${events.toLocaleString()} leads inserted in one statement, events recorded by the outbox trigger in ${recordMs} ms; ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}.`,
    );

    started = Date.now();
    let attempted = 0;
    for (;;) {
      const result = await deliverDueWebhooks(serviceDb(), {
        allowAddress: (a) => a === "127.0.0.1",
        concurrency,
        batchSize: batch,
        budgetMs: 600_000,
      });
      attempted += result.attempted;
      if (result.nextDueInMs === null) break;
      await new Promise((r) => setTimeout(r, Math.max(10, result.nextDueInMs ?? 10)));
    }
    const seconds = (Date.now() - started) / 1000;
    const [counts] = await sql<{ deliveries: number; succeeded: number; attempts: number; distinct_attempts: number }[]>`
      select (select count(*)::int from webhook_deliveries where workspace_id = ${workspaceId}) as deliveries,
             (select count(*)::int from webhook_deliveries where workspace_id = ${workspaceId} and status = 'succeeded') as succeeded,
             (select count(*)::int from webhook_delivery_attempts a join webhook_deliveries d on d.id = a.delivery_id
               where d.workspace_id = ${workspaceId}) as attempts,
             (select count(distinct (a.delivery_id, a.attempt))::int from webhook_delivery_attempts a
               join webhook_deliveries d on d.id = a.delivery_id where d.workspace_id = ${workspaceId}) as distinct_attempts`;
    const duplicated = [...seen.values()].filter((n) => n > 1).length + (counts!.attempts - counts!.distinct_attempts);
    console.log(
      `Fan-out: ${attempted.toLocaleString()} attempts in ${seconds.toFixed(1)} s (${Math.round(attempted / seconds)}/s, ${concurrency} in flight); ` +
        `${counts!.succeeded}/${counts!.deliveries} delivered; received ${seen.size} distinct webhook-ids; ${badSignatures} bad signatures.`,
    );
    return {
      events,
      recordMs,
      seconds,
      attempted,
      deliveries: counts!.deliveries,
      succeeded: counts!.succeeded,
      received: seen.size,
      lost: events - seen.size,
      duplicated,
      badSignatures,
    };
  } finally {
    await sql.end();
    receiver.close();
  }
}
