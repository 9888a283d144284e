/**
 * `npm run dev` / `npm start`: prepares the database and embedded defaults, seeds the demo
 * data (in development, once per database; lib/seed/wants-demo-data.ts), runs Next.js, prints the banner, and shuts everything down cleanly on Ctrl-C.
 *
 * The npm scripts start this process with `--max-semi-space-size=8` (MiB; Node 20's default is
 * 16): it runs the local job executor, whose runs all wait while V8 collects the young
 * generation, and a smaller one is collected in shorter pauses. `npm run bench:jobs` runs with
 * the same flag and prints it; Next runs in its own process with Node's defaults.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { serviceDb } from "@/db";
import { describeServices, env, EnvError } from "@/lib/env";
import { startLocalExecutor, type LocalExecutorHandle } from "@/lib/jobs/start-local-executor";
import { wantsDemoData } from "@/lib/seed/wants-demo-data";
import { isFirstRunSetupOpen } from "@/lib/setup/first-run";
import { printBanner } from "./lib/banner";
import { prepareEnvironment } from "./lib/prepare";
import { seed } from "./lib/seed";

const mode = process.argv[2] === "start" ? "start" : "dev";
// This process (executor, seed) and Next must agree on the mode: what is allowed in
// development only (the mail catcher, demo data, INNGEST_DEV) keys off NODE_ENV.
(process.env as Record<string, string>).NODE_ENV = mode === "start" ? "production" : "development";
const port = process.env.PORT ?? "3000";

async function main() {
  const prepared = await prepareEnvironment({ dev: mode === "dev" });
  const demo = wantsDemoData({ mode, embeddedDatabase: prepared.services.database === "embedded", seedDemoData: env().SEED_DEMO_DATA })
    ? await seed({ force: false })
    : null;

  // The embedded Inngest: runs in this process, beside (not inside) Next, so a hot reload
  // of the app can never start it twice.
  let executor: LocalExecutorHandle | null = null;
  if (describeServices(env()).jobs === "local-executor") executor = await startLocalExecutor({ databaseUrl: env().DATABASE_URL });

  const next = spawn(process.execPath, ["node_modules/next/dist/bin/next", mode, "--port", port], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stopChild(next);
    await executor?.stop();
    await prepared.shutdown();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  next.on("exit", (code) => void shutdown(code ?? 1));

  const url = process.env.APP_URL!;
  if (await waitUntilHealthy(`http://127.0.0.1:${port}/api/health`)) {
    printBanner({ url, services: prepared.services, demo, setupOpen: await isFirstRunSetupOpen(serviceDb()) });
  } else console.error(`The app did not answer on port ${port} within two minutes; see the output above.`);
}

async function waitUntilHealthy(url: string): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

main().catch((error) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
