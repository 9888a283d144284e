import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

/** Processes and threads started on this machine since it booted (the "processes" line of /proc/stat). */
function processesStarted(): number {
  const line = readFileSync("/proc/stat", "utf8")
    .split("\n")
    .find((l) => l.startsWith("processes "));
  if (!line) throw new Error("/proc/stat has no processes line");
  return Number(line.split(" ")[1]);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * next dev (16.4.5) looked for a dynamic route's static params again on every request, in a new
 * Node.js process that loads the route's whole server bundle: about a CPU-second for each visit of
 * a lead, an import or a job run, and each call to the auth API. patches/next+16.4.5.patch keeps
 * the answer of a route without generateStaticParams until its code changes. The auth API's
 * catch-all route stands for every dynamic route here; the pauses let each request's background
 * look finish before the next, so that none shares another's.
 */
test("next dev answers a dynamic route again and again without starting a process each time", async ({ request }) => {
  const path = "/auth/v1/health";
  expect((await request.get(path)).ok()).toBe(true);
  await pause(3_000);
  const before = processesStarted();
  for (let i = 0; i < 5; i++) {
    expect((await request.get(path)).ok()).toBe(true);
    await pause(1_500);
  }
  const started = processesStarted() - before;
  expect(started, "processes and threads started on the machine during 5 requests").toBeLessThan(10);
});
