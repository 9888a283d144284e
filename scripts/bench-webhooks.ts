/**
 * npm run bench:webhooks (issue 17's benchmark, webhook part): EVENTS leads inserted in one
 * statement with one endpoint subscribed to lead.created (the outbox trigger records an event and
 * a delivery each), then the delivery service sends them all to a local receiver (through the
 * SSRF guard, with the test-only loopback override) until none is due. Reports the fan-out time,
 * events lost (never received) and duplicated (a webhook-id received twice, or an attempt row
 * recorded twice), and every signature is verified with the standardwebhooks library. The last
 * line is one JSON object.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { migrateDatabase } from "@/db/migrate";
import { closeAllPools } from "@/db/client";
import { embeddedEnvironment, generateLocalSecrets } from "@/lib/local/secrets";
import { startEmbeddedPostgres } from "@/lib/local/embedded-postgres";
import { freePort } from "@/lib/local/free-port";
import { measureWebhookFanout } from "./lib/bench-webhooks-fanout";
import { cleanUpOnce } from "./lib/stop-on-signal";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "lip-bench-webhooks-"));
  const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "lip_bench" });
  const cleanUp = cleanUpOnce(async () => {
    await closeAllPools();
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
    Object.assign(process.env, { DATABASE_URL: cluster.url });
    Object.assign(process.env, await embeddedEnvironment(await generateLocalSecrets(), process.env));
    const f = await measureWebhookFanout(cluster.url, { events: EVENTS, concurrency: CONCURRENCY, batch: BATCH });
    console.log(
      JSON.stringify({
        webhooks_events: f.events,
        webhooks_10k_s: Number(f.seconds.toFixed(2)),
        webhooks_lost: f.lost,
        webhooks_duplicated: f.duplicated,
        webhooks_bad_signatures: f.badSignatures,
      }),
    );
  } finally {
    await cleanUp();
  }
}

await main();
