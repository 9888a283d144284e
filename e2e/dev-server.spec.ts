import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { expect, test } from "@playwright/test";

/** Node.js processes running now whose working directory is this project (next dev and what it starts), by pid. */
function projectNodeProcesses(): Map<number, string> {
  const found = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) !== process.cwd()) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
      if (/(^|\/)node\b/.test(command)) found.set(pid, command);
    } catch {
      // Ended meanwhile, or not ours to read.
    }
  }
  return found;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * next dev (16.4.5) looked for a dynamic route's static params again on every request, in a new
 * Node.js process that loads the route's whole server bundle: about a CPU-second for each visit of
 * a lead, an import or a job run, and each call to the auth API. patches/next+16.4.5.patch keeps
 * the answer of a route without generateStaticParams until its code changes. The auth API's
 * catch-all route stands for every dynamic route here; the pauses let each request's background
 * look finish before the next, so that none shares another's.
 *
 * Counted: Node.js processes of this project that appear while the requests run, seen by a look at
 * /proc every 50 ms (each such look lives about a second). Not the machine's whole count of started
 * processes: the app's jobs open database connections meanwhile (a PostgreSQL backend each), and
 * in CI another checkout may run beside it.
 */
test("next dev answers a dynamic route again and again without starting a process each time", async ({ request }) => {
  const path = "/auth/v1/health";
  // The first request may compile the route.
  expect((await request.get(path, { timeout: 180_000 })).ok()).toBe(true);
  await pause(3_000);
  const before = projectNodeProcesses();
  const started = new Map<number, string>();
  let watching = true;
  const watch = (async () => {
    while (watching) {
      for (const [pid, command] of projectNodeProcesses()) if (!before.has(pid)) started.set(pid, command);
      await pause(50);
    }
  })();
  for (let i = 0; i < 5; i++) {
    expect((await request.get(path)).ok()).toBe(true);
    await pause(1_500);
  }
  watching = false;
  await watch;
  expect([...started.values()], "Node.js processes of this project started during 5 requests").toEqual([]);
});
