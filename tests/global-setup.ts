import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../db/migrate";
import { startEmbeddedPostgres } from "../lib/local/embedded-postgres";
import { freePort } from "../lib/local/free-port";
import { generateLocalSecrets } from "../lib/local/secrets";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    localSecrets: string;
  }
}

/** The server's reports of lock waits (and their DETAIL and STATEMENT lines), the rest dropped. */
function lockWaitsTo(out: NodeJS.WritableStream): (message: string) => void {
  let inReport = false;
  return (message) => {
    const starts = /\b(LOG|ERROR|FATAL|WARNING):/.test(message);
    if (starts) inReport = /still waiting for|acquired .* after|deadlock detected|lock timeout/.test(message);
    if (inReport) out.write(`[postgres] ${message.endsWith("\n") ? message : `${message}\n`}`);
  };
}

/** A throw-away PostgreSQL cluster for the integration suite: real binaries, random port, temp dir. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "lip-test-pg-"));
  const cluster = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    ephemeral: true,
    database: "lip_test",
    // A test that waits on another file's lock for more than a second says so in the run's
    // output, with the holder and both statements: a timeout alone does not tell a lock wait
    // from a slow statement.
    settings: { log_lock_waits: "on" },
    log: lockWaitsTo(process.stderr),
  });
  const teardown = async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await migrateDatabase(cluster.url, { embeddedAuth: true });
  } catch (error) {
    // vitest runs no teardown when setup throws: a failing migration would leave the cluster running.
    await teardown();
    throw error;
  }
  project.provide("databaseUrl", cluster.url);
  project.provide("localSecrets", JSON.stringify(await generateLocalSecrets()));
  return teardown;
}
