/**
 * `npx tsx scripts/recreate-reload-loop.ts`: tries to recreate, on this checkout, the Turbopack
 * cache on which `next dev` sends /login into the reload loop of issue 9 (the recipe, how often
 * it works so far, and why snapshots decide it: scripts/lib/reload-loop-recipe.ts), then starts
 * `npm run dev` on it once more without the launcher's repair and asks the dev server what a
 * browser opening /login asks.
 *
 * It prints "LOOPS: static/chunks/….js" when the dev server answers that chunk list with
 * "restart" (a browser would reload for ever), "HEALTHY" otherwise, and leaves the cache in place,
 * so a plain `npm run dev` with the same variables then shows the launcher's repair.
 *
 * Its own build dir, database and ports (NEXT_DIST_DIR, DATA_DIR, PORT, EMBEDDED_PG_PORT, APP_URL)
 * are taken from the environment, with these defaults: .next-loop, .data/loop, 3070, 54370.
 * It deletes that build dir's Turbopack cache first. Takes 3-5 minutes (two starts, the first on an empty cache).
 * Two knobs for experiments (their tries are in the record): RECIPE_CPUS (taskset's CPU list, e.g.
 * 0) keeps the recipe's session on those CPUs; RECIPE_BURNERS=n spins n processes beside it.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { chunkListAnsweredRestart } from "./lib/dev-build-cache";
import { startDevServer } from "./lib/dev-server";
import { recreateLoopingCache, WITHOUT_CACHE_REPAIR_ENV } from "./lib/reload-loop-recipe";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "3070";
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: port,
  EMBEDDED_PG_PORT: process.env.EMBEDDED_PG_PORT ?? "54370",
  DATA_DIR: process.env.DATA_DIR ?? ".data/loop",
  NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-loop",
  APP_URL: process.env.APP_URL ?? `http://localhost:${port}`,
};
const origin = `http://127.0.0.1:${port}`;
const distDir = path.resolve(root, env.NEXT_DIST_DIR!);

const cpus = process.env.RECIPE_CPUS || undefined;
const start = async (extra: Record<string, string>) => {
  const began = Date.now();
  const server = await startDevServer({ root, env: { ...env, ...extra }, cpus });
  console.log(`   started in ${Math.round((Date.now() - began) / 1000)} s${cpus ? ` on CPU ${cpus}` : ""}`);
  return server;
};

// RECIPE_BURNERS=n: n processes that only spin keep the machine busy during the recipe.
const burners = Array.from({ length: Number(process.env.RECIPE_BURNERS ?? 0) }, () =>
  spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
);
try {
  await recreateLoopingCache({ origin, distDir, start, log: (line) => console.log(line) });
} finally {
  for (const burner of burners) burner.kill("SIGKILL");
}
console.log("npm run dev again, without the launcher's repair; asking as a browser opening /login asks");
const third = await startDevServer({ root, env: { ...env, ...WITHOUT_CACHE_REPAIR_ENV } });
try {
  const restart = await chunkListAnsweredRestart(origin);
  console.log(restart ? `LOOPS: next dev answers ${restart} with "restart"` : "HEALTHY: no chunk list answered with restart");
  process.exitCode = restart ? 0 : 1;
} finally {
  await third.stop();
}
