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
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { chunkListAnsweredRestart } from "./lib/dev-build-cache";
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

/** `npm run dev` in a process group of its own, as a terminal runs it; resolves once its banner is printed. */
async function start(extra: Record<string, string>): Promise<{ stop(): Promise<void>; kill(): Promise<void> }> {
  const child: ChildProcess = spawn("npm", ["run", "dev"], {
    cwd: root,
    env: { ...env, ...extra },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += String(chunk)));
  child.stderr!.on("data", (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const began = Date.now();
  while (!output.includes("is ready")) {
    if (child.exitCode !== null || Date.now() - began > 300_000) {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
      throw new Error(`npm run dev did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`   started in ${Math.round((Date.now() - began) / 1000)} s`);
  const end = async (signal: NodeJS.Signals) => {
    process.kill(-child.pid!, signal); // to the whole group, as a terminal sends Ctrl-C or a crash ends it
    await exited;
    // Next runs in a group of its own, killed by its guard once the launcher is gone.
    for (let tries = 0; tries < 100; tries++) {
      if (!(await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(1_000) }).catch(() => null))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  return { stop: () => end("SIGINT"), kill: () => end("SIGKILL") };
}

await recreateLoopingCache({ origin, distDir, start, log: (line) => console.log(line) });
console.log("npm run dev again, without the launcher's repair; asking as a browser opening /login asks");
const third = await start({ ...WITHOUT_CACHE_REPAIR_ENV });
try {
  const restart = await chunkListAnsweredRestart(origin);
  console.log(restart ? `LOOPS: next dev answers ${restart} with "restart"` : "HEALTHY: no chunk list answered with restart");
  process.exitCode = restart ? 0 : 1;
} finally {
  await third.stop();
}
