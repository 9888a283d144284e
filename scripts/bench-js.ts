/**
 * `npm run bench:js`: the first-load JavaScript (gzip) of the main pages against the budget of
 * issue 10 (≤ 170 kB). One production build (`next build` into .next-bench-js; `-- --no-build`
 * measures the build already there, `-- --dist-dir=<dir>` another one), then, per page, the
 * scripts its HTML loads, read from the build's manifests (scripts/lib/first-load-js.ts), each
 * gzipped once. No server or database: the same set and total `npm run bench:leads` fetches from
 * the served /leads (checked against `npm start` pages of one build: /leads, /companies, /jobs,
 * /imports, /campaigns to the byte).
 *
 * Exits 1 when a page is over its budget, or when app/not-found.tsx has client code of its own
 * (then some pages load more than counted). The last line printed is one JSON object:
 * `{"budget_kb": 170, "pages": {"/leads": 163.2, …}, "over_budget": [], "not_found_client_chunks": 0}`.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { BUDGET_PAGES, FIRST_LOAD_BUDGET_KB as BUDGET_KB, measurePages } from "./lib/first-load-js";

const args = process.argv.slice(2);
const distDir = args.find((a) => a.startsWith("--dist-dir="))?.slice("--dist-dir=".length) ?? ".next-bench-js";
const build = !args.includes("--no-build");

function nextBuild(dist: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: dist };
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "build"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed:\n${out.slice(-4000)}`))));
  });
}

if (build) {
  const t = performance.now();
  console.log(`next build into ${distDir}…`);
  await nextBuild(distDir);
  console.log(`built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

const pages = await measurePages(path.resolve(distDir), BUDGET_PAGES);
const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
console.log(`\nfirst-load JS (gzip) per page, budget ${BUDGET_KB} kB:`);
for (const page of pages) {
  const over = kb(page.gzipBytes) > BUDGET_KB;
  console.log(
    `  ${page.route.padEnd(18)} ${kb(page.gzipBytes).toFixed(1).padStart(6)} kB  ${page.scripts.length} scripts${over ? "  OVER BUDGET" : ""}`,
  );
}
const overBudget = pages.filter((p) => kb(p.gzipBytes) > BUDGET_KB).map((p) => p.route);
// The figures hold only while the not-found page brings no client code of its own (see first-load-js.ts).
const notFoundOnly = [...new Set(pages.flatMap((p) => p.notFoundOnly))];
if (notFoundOnly.length > 0) {
  console.log(
    `\napp/not-found.tsx has client code of its own (${notFoundOnly.join(", ")}): some pages load it beside their own, so the figures above may be low. Keep the not-found page free of client components (components/ui/full-page-message.tsx).`,
  );
}
console.log(
  JSON.stringify({
    budget_kb: BUDGET_KB,
    pages: Object.fromEntries(pages.map((p) => [p.route, kb(p.gzipBytes)])),
    over_budget: overBudget,
    not_found_client_chunks: notFoundOnly.length,
  }),
);
if (overBudget.length > 0 || notFoundOnly.length > 0) process.exitCode = 1;
