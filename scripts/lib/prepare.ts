import { connect as tcpConnect } from "node:net";
import path from "node:path";
import nextEnv from "@next/env";
import { closeAllPools } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { describeServices, env, EnvError, isEmbeddedAuth, type ServiceModes } from "@/lib/env";
import { afterShutdown } from "@/lib/local/cluster-state";
import { joinClusterUsers } from "@/lib/local/cluster-users";
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
  let embedded: { dir: string; started: EmbeddedCluster | null } | null = null;
  if (!process.env.DATABASE_URL) {
    const port = Number(process.env.EMBEDDED_PG_PORT ?? 54322);
    const clusterDir = path.join(dataDir, "postgres");
    // A server whose launcher was killed a moment ago is still shutting down: wait for it to go.
    const cluster = await afterShutdown(clusterDir, 60_000);
    if (cluster.state === "running" && !cluster.stopping && cluster.port === port && (await portAnswers(port))) {
      // Another launcher (e.g. a running `npm run dev`) started this cluster: share it (its last user stops it).
      process.env.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/lip`;
      embedded = { dir: clusterDir, started: null };
    } else {
      // (A server of ours that never finished stopping is named by startEmbeddedPostgres instead.)
      if (cluster.state !== "running" && (await portAnswers(port))) {
        throw new EnvError(
          `Port ${port} is taken by another program. Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use that database.`,
        );
      }
      const started = await startEmbeddedPostgres({ dataDir: clusterDir, port, ownProcessGroup: true });
      process.env.DATABASE_URL = started.url;
      embedded = { dir: clusterDir, started };
    }
    process.env.LIP_EMBEDDED_DB = "1";
  }

  Object.assign(process.env, await embeddedEnvironment(await loadOrCreateLocalSecrets(dataDir), process.env));
  const e = env();
  const use = embedded ? await joinClusterUsers(e.DATABASE_URL) : null;
  await migrateDatabase(e.DATABASE_URL, { embeddedAuth: isEmbeddedAuth(e) });

  return {
    services: describeServices(e),
    dataDir,
    shutdown: async () => {
      await closeAllPools();
      if (!embedded || !use) return;
      if (await use.leave()) {
        await (embedded.started ? embedded.started.stop() : stopClusterAt(embedded.dir));
      } else {
        embedded.started?.leave();
        console.error("The embedded database keeps running: another process is using it, and the last one to stop stops it.");
      }
      await use.close();
    },
  };
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
