import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../db/migrate";
import { startEmbeddedPostgres } from "../lib/local/embedded-postgres";
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
  await migrateDatabase(cluster.url, { embeddedAuth: true });
  project.provide("databaseUrl", cluster.url);
  project.provide("localSecrets", JSON.stringify(await generateLocalSecrets()));
  return async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
