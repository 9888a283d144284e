import { connect as tcpConnect } from "node:net";
import { constants as osConstants } from "node:os";
import path from "node:path";
import nextEnv from "@next/env";
import { closeAllPools } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { describeServices, env, EnvError, isEmbeddedAuth, type ServiceModes } from "@/lib/env";
import { afterShutdown } from "@/lib/local/cluster-state";
import { joinClusterUsers, type ClusterUse } from "@/lib/local/cluster-users";
import { startEmbeddedPostgres, stopClusterAt, type EmbeddedCluster } from "@/lib/local/embedded-postgres";
import { embeddedEnvironment, loadOrCreateLocalSecrets } from "@/lib/local/secrets";

export type Prepared = { services: ServiceModes; dataDir: string; shutdown: () => Promise<void> };

export const dataDirectory = () => path.resolve(process.env.DATA_DIR ?? ".data");

/**
 * Everything `npm run dev`, `npm start` and the db scripts share: read .env files, start the
 * embedded PostgreSQL when DATABASE_URL is unset, fill in the embedded defaults' secrets,
 * validate the environment, and migrate.
 */
export async function prepareEnvironment({ dev }: { dev: boolean }): Promise<Prepared> {
  nextEnv.loadEnvConfig(process.cwd(), dev, { info: () => {}, error: console.error });
  const dataDir = dataDirectory();
  process.env.APP_URL ??= `http://localhost:${process.env.PORT ?? "3000"}`;

  // The embedded cluster, when it is used: stopped by its last user, whoever started it.
  let embedded: { dir: string; url: string; started: EmbeddedCluster | null; use: ClusterUse } | null = null;
  if (!process.env.DATABASE_URL) {
    const port = Number(process.env.EMBEDDED_PG_PORT ?? 54322);
    const clusterDir = path.join(dataDir, "postgres");
    // A cluster found running may be stopping under its last user just as this one joins: then
    // it is gone when the join fails, and this process starts it again.
    for (let attempt = 1; !embedded; attempt++) {
      try {
        embedded = await useEmbeddedCluster(clusterDir, port);
      } catch (error) {
        if (attempt >= 2 || error instanceof EnvError) throw error;
      }
    }
    process.env.DATABASE_URL = embedded.url;
    process.env.LIP_EMBEDDED_DB = "1";
  }

  Object.assign(process.env, await embeddedEnvironment(await loadOrCreateLocalSecrets(dataDir), process.env));
  const e = env();
  await migrateDatabase(e.DATABASE_URL, { embeddedAuth: isEmbeddedAuth(e) });

  // Once, whoever asks first: a stop signal's handler and the command's own end may both ask.
  let stopping: Promise<void> | null = null;
  const shutdown = async () => {
    await closeAllPools();
    if (!embedded) return;
    const { use, started, dir } = embedded;
    const left = await use.leave();
    if (left === "last") {
      await (started ? started.stop() : stopClusterAt(dir));
    } else {
      // Still in use by another process (or gone already): its guard must not stop it when this one exits.
      started?.leave();
      if (left === "others") {
        console.error("The embedded database keeps running: another process is using it, and the last one to stop stops it.");
      }
    }
    await use.close();
  };
  return { services: describeServices(e), dataDir, shutdown: () => (stopping ??= shutdown()) };
}

/** Starts the embedded cluster, or shares the one another launcher started, and joins its users. */
async function useEmbeddedCluster(
  clusterDir: string,
  port: number,
): Promise<{ dir: string; url: string; started: EmbeddedCluster | null; use: ClusterUse }> {
  // A server whose launcher was killed a moment ago is still shutting down: wait for it to go.
  const cluster = await afterShutdown(clusterDir, 60_000);
  if (cluster.state === "running" && !cluster.stopping && cluster.port === port && (await portAnswers(port))) {
    // Another launcher (e.g. a running `npm run dev`) started this cluster: share it (its last user stops it).
    const url = `postgres://postgres:postgres@127.0.0.1:${port}/lip`;
    return { dir: clusterDir, url, started: null, use: await joinClusterUsers(url) };
  }
  // (A server of ours that never finished stopping is named by startEmbeddedPostgres instead.)
  if (cluster.state !== "running" && (await portAnswers(port))) {
    throw new EnvError(
      `Port ${port} is taken by another program. Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use that database.`,
    );
  }
  const started = await startEmbeddedPostgres({ dataDir: clusterDir, port, ownProcessGroup: true });
  try {
    return { dir: clusterDir, url: started.url, started, use: await joinClusterUsers(started.url) };
  } catch (error) {
    await started.stop();
    throw error;
  }
}

/**
 * For a script or command that runs once (the CLI, the db scripts): Ctrl-C, SIGTERM and a closed
 * terminal run `shutdown` before the process exits, so the embedded database is left to those
 * still using it, or stopped with a fast shutdown by the last of them. embedded-postgres's own
 * handlers for these signals (async-exit-hook) stopped the cluster at once, under every other
 * process using it; ours replace them. (The launcher has its own, which stop Next first.)
 */
export function shutdownOnSignals(shutdown: () => Promise<void>): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    for (const listener of process.listeners(signal)) process.off(signal, listener);
    process.once(signal, () => {
      const code = 128 + osConstants.signals[signal];
      void shutdown().then(
        () => process.exit(code),
        () => process.exit(code),
      );
    });
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
