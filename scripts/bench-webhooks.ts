/**
 * npm run bench:webhooks (issue 17's benchmark, webhook part): EVENTS leads inserted in one
 * statement with one endpoint subscribed to lead.created (the outbox trigger records an event and
 * a delivery each), then the delivery service sends them all to a local receiver (through the
 * SSRF guard, with the test-only loopback override) until none is due. Reports the fan-out time,
 * events lost (never received) and duplicated (a webhook-id received twice, or an attempt row
 * recorded twice), and every signature is verified with the standardwebhooks library. The last
 * line is one JSON object.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { migrateDatabase } from "@/db/migrate";
import { openPostgres } from "@/db/postgres-target";
import { closeAllPools } from "@/db/client";
import { embeddedEnvironment, generateLocalSecrets } from "@/lib/local/secrets";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { freePort } from "@/lib/local/free-port";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const quiet = () => {};

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "lip-bench-webhooks-"));
  const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "lip_bench" });
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
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
    Object.assign(process.env, { DATABASE_URL: cluster.url });
    Object.assign(process.env, await embeddedEnvironment(await generateLocalSecrets(), process.env));
    const sql = openPostgres(cluster.url, { max: 2, onnotice: quiet });
    const { serviceDb } = await import("@/db");
    const { deliverDueWebhooks } = await import("@/lib/webhooks/deliver");
    const { newSigningSecret, sealSigningSecret } = await import("@/lib/webhooks/signing");

    const [ws] = await sql<
      { id: string }[]
    >`insert into public.workspaces (name, slug) values ('Bench GmbH', 'bench-webhooks') returning id`;
    const workspaceId = ws!.id;
    const secret = newSigningSecret();
    verify = new Webhook(secret);
    const endpointId = crypto.randomUUID();
    const sealed = sealSigningSecret(secret, workspaceId, endpointId);
    await sql`insert into webhook_endpoints (id, workspace_id, url, event_types, secret_ciphertext, secret_key_id)
      values (${endpointId}, ${workspaceId}, ${receiverUrl}, '{lead.created}', ${sealed.ciphertext}, ${sealed.keyId})`;

    let started = Date.now();
    await sql`insert into leads (workspace_id, first_name, last_name, email)
      select ${workspaceId}, 'Zoë', 'Müller-' || i, 'lead-' || i || '@bench.example' from generate_series(1, ${EVENTS}) i`;
    const recordMs = Date.now() - started;
    console.log(
      `${EVENTS.toLocaleString()} leads inserted in one statement, events recorded by the outbox trigger in ${recordMs} ms; ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}.`,
    );

    started = Date.now();
    let attempted = 0;
    for (;;) {
      const result = await deliverDueWebhooks(serviceDb(), {
        allowAddress: (a) => a === "127.0.0.1",
        concurrency: CONCURRENCY,
        batchSize: BATCH,
        budgetMs: 600_000,
      });
      attempted += result.attempted;
      if (result.nextDueInMs === null) break;
      await new Promise((r) => setTimeout(r, Math.max(10, result.nextDueInMs ?? 10)));
    }
    const seconds = (Date.now() - started) / 1000;
    const [counts] = await sql<{ deliveries: number; succeeded: number; attempts: number; distinct_attempts: number }[]>`
      select (select count(*)::int from webhook_deliveries) as deliveries,
             (select count(*)::int from webhook_deliveries where status = 'succeeded') as succeeded,
             (select count(*)::int from webhook_delivery_attempts) as attempts,
             (select count(distinct (delivery_id, attempt))::int from webhook_delivery_attempts) as distinct_attempts`;
    const lost = EVENTS - seen.size;
    const duplicated = [...seen.values()].filter((n) => n > 1).length + (counts!.attempts - counts!.distinct_attempts);
    console.log(
      `Fan-out: ${attempted.toLocaleString()} attempts in ${seconds.toFixed(1)} s (${Math.round(attempted / seconds)}/s, ${CONCURRENCY} in flight); ` +
        `${counts!.succeeded}/${counts!.deliveries} delivered; received ${seen.size} distinct webhook-ids; ${badSignatures} bad signatures.`,
    );
    await sql.end();
    console.log(
      JSON.stringify({
        webhooks_events: EVENTS,
        webhooks_10k_s: Number(seconds.toFixed(2)),
        webhooks_lost: lost,
        webhooks_duplicated: duplicated,
        webhooks_bad_signatures: badSignatures,
      }),
    );
  } finally {
    receiver.close();
    await closeAllPools();
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
