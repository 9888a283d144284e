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

/** A throw-away PostgreSQL cluster for the integration suite: real binaries, random port, temp dir. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "lip-test-pg-"));
  const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true, database: "lip_test" });
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
