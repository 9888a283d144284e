/**
 * `npx tsx scripts/restart-cycles.ts`: starts `npm run dev` again and again on one copy of the
 * project, the way a user restarts after a crash, and counts what the browser does.
 *
 * Each cycle starts `npm run dev` in its own process group, opens /login in Chromium, counts
 * the page's document navigations for ten seconds (one is right; a reload loop shows dozens),
 * logs in and opens one to three app pages, then stops the whole group with the cycle's signal
 * while the last page may still be loading: SIGKILL is a crash, an out-of-memory kill or a
 * closed terminal; SIGINT is Ctrl-C; SIGTERM and SIGHUP are a service manager and a closed
 * terminal. That tab stays open into the next cycle, as a user's browser does: it reconnects
 * to the new server and reloads while the new /login loads (the reload loop needed both). For
 * the gentle signals it also measures how long the stop took, whether any process of the group
 * was left behind, and whether next dev left its lock (the next start would take that stop for
 * a crash). The copy keeps its build dir and database between cycles, since that
 * state is what a restart meets.
 *
 *   --dir /tmp/lip-cycles   where the copy lives (its files are brought up to this checkout's
 *                           on every run; node_modules is hard-linked, so the copy is small)
 *   --cycles 10             cycles per signal
 *   --signals SIGKILL,SIGINT,SIGTERM
 *   --watch 10              seconds to watch /login
 *   --port 3060 --pg-port 54360
 *
 * Per cycle it prints the startup time, the navigations, the reload reasons the dev server
 * sent over its HMR socket, and the stop; logs of each run go to <dir>-logs/.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";

const { values: args } = parseArgs({
  options: {
    dir: { type: "string", default: "/tmp/lip-cycles" },
    cycles: { type: "string", default: "10" },
    signals: { type: "string", default: "SIGKILL,SIGINT,SIGTERM" },
    watch: { type: "string", default: "10" },
    port: { type: "string", default: process.env.PORT ?? "3060" },
    "pg-port": { type: "string", default: process.env.EMBEDDED_PG_PORT ?? "54360" },
  },
});
const dir = path.resolve(args.dir);
// Beside the copy, not in it: the dev server's own log must not be a file its watcher sees.
const logDir = `${dir}-logs`;
const origin = `http://localhost:${args.port}`;
const signals = args.signals.split(",").map((s) => s.trim()) as NodeJS.Signals[];

type Cycle = Watched & {
  signal: string;
  startMs: number;
  repaired: boolean;
  stopMs: number | null;
  leftBehind: string[];
  lockLeft: boolean;
};

/** What the launcher prints when it found a compile cache that loops pages and cleared it (scripts/lib/dev-build-cache.ts). */
const REPAIR_NOTICE = "made next dev reload every page";

/** Brings the copy up to this checkout's files, keeping its build dir and database. */
function syncCopy() {
  const source = process.cwd();
  mkdirSync(dir, { recursive: true });
  // The checkout's files (tracked and new, not ignored): no build dir, no data, no .env.
  execFileSync("sh", ["-c", `git ls-files -z --cached --others --exclude-standard | tar -cf - --null -T - | tar -xf - -C "${dir}"`], {
    cwd: source,
  });
  if (!existsSync(path.join(dir, "node_modules")))
    execFileSync("cp", ["-al", path.join(source, "node_modules"), path.join(dir, "node_modules")]);
}

/**
 * What is still running of this launch, with command lines: the launcher's group, and Next and
 * PostgreSQL, which run in groups of their own (lib/local/process-guard.ts stops them when the
 * launcher dies), found by the copy's port and data directory. Their children are not: Next's
 * server process ("next-server (v16.4.5)") and its workers name no port, and every PostgreSQL
 * child (checkpointer, backends) is a group of its own. On Linux each of them is found by its
 * working directory, the copy or its database directory.
 */
function launchProcesses(pgid: number): string[] {
  const out = execFileSync("ps", ["-e", "-o", "pgid=,pid=,stat=,args="], { encoding: "utf8" });
  const ours = (pid: number, cmd: string) =>
    cmd.includes(`next dev --port ${args.port}`) || cmd.includes(`-D ${path.join(dir, ".data", "postgres")}`) || workingInCopy(pid);
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, pid, stat, ...cmd]) => (Number(group) === pgid || ours(Number(pid), cmd.join(" "))) && !stat?.startsWith("Z"))
    .map(([, pid, , ...cmd]) => `${pid} ${cmd.join(" ").slice(0, 90)}`);
}

function workingInCopy(pid: number): boolean {
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return cwd === dir || cwd.startsWith(`${dir}/`);
  } catch {
    return false; // gone meanwhile, another user's, or no /proc (macOS): the checks above remain
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`${origin}/api/health`)).ok;
  } catch {
    return false;
  }
}

const APP_PAGES = ["/leads", "/companies", "/imports", "/campaigns", "/approvals", "/analytics", "/jobs", "/settings", "/settings/team"];

type Watched = { navigations: number; loginRequests: number; loggedIn: boolean; reasons: string[] };

/**
 * Opens /login, counts for `seconds`, logs in, then uses the app (a few pages, in random
 * order) and returns while the last one is still loading: the kill that follows lands at a
 * different moment of the dev server's work each cycle, as a user's crash would.
 */
async function watchLogin(context: BrowserContext, seconds: number): Promise<Watched> {
  const page = await context.newPage();
  const watched: Watched = { navigations: 0, loginRequests: 0, loggedIn: false, reasons: [] };
  let counting = true;
  page.on("request", (request) => {
    if (!counting || new URL(request.url()).pathname !== "/login") return;
    watched.loginRequests++; // documents and RSC refetches alike
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) watched.navigations++;
  });
  // The dev server tells the page to reload over its HMR socket; keep what it said.
  const note = (text: string) => watched.reasons.length < 4 && watched.reasons.push(text.slice(0, 200));
  page.on("websocket", (socket) =>
    socket.on("framereceived", ({ payload }) => {
      const text = String(payload);
      if (/"reloadPage"|"serverComponentChanges"|"restart"/.test(text)) note(text);
    }),
  );
  page.on("console", (message) => {
    if (/reload/i.test(message.text())) note(`console: ${message.text()}`);
  });
  await page.goto(`${origin}/login`, { waitUntil: "commit", timeout: 120_000 }).catch(() => {});
  await page.waitForTimeout(seconds * 1000);
  counting = false;
  try {
    // Generous: a reload loop already shows in the navigations; on a busy machine a first
    // compile of /leads (a cleared compile cache) takes over 30 s.
    await page.getByLabel("Work email").fill("admin@acme.test", { timeout: 30_000 });
    await page.getByLabel("Password", { exact: true }).fill("demo-pass-2026", { timeout: 30_000 });
    await page.getByRole("button", { name: "Log in" }).click({ timeout: 30_000 });
    await page.waitForURL((url) => url.pathname === "/", { timeout: 120_000 });
    watched.loggedIn = true;
    const pages = [...APP_PAGES].sort(() => Math.random() - 0.5).slice(0, 1 + Math.floor(Math.random() * 3));
    for (const [i, pathname] of pages.entries()) {
      const loading = page.goto(`${origin}${pathname}`, { timeout: 60_000 }).catch(() => {});
      if (i < pages.length - 1) await loading;
      else await page.waitForTimeout(Math.random() * 3000);
    }
  } catch (error) {
    note(`login failed: ${(error as Error).message.split("\n")[0]}`);
  }
  return watched;
}

/** The tab the previous cycle left open, as a user's browser keeps it while the app restarts. */
let openTab: BrowserContext | null = null;

async function runCycle(browser: Browser, signal: NodeJS.Signals, index: number): Promise<Cycle> {
  const logFile = path.join(logDir, `${String(index).padStart(3, "0")}-${signal}.log`);
  const log = openSync(logFile, "w");
  const started = Date.now();
  const child = spawn("npm", ["run", "dev"], {
    cwd: dir,
    detached: true, // its own process group, as a terminal gives it
    stdio: ["ignore", log, log],
    env: { ...process.env, PORT: args.port, EMBEDDED_PG_PORT: args["pg-port"], NEXT_TELEMETRY_DISABLED: "1" },
  });
  const pgid = child.pid!;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Ready as the user is told: the banner, printed once the launcher has checked /login's HMR
  // answers (and repaired the compile cache if they looped), not merely a health answer.
  const up = await waitFor(() => readFileSync(logFile, "utf8").includes("is ready"), 300_000);
  const startMs = Date.now() - started;
  const repaired = readFileSync(logFile, "utf8").includes(REPAIR_NOTICE);
  const context = await browser.newContext();
  const watched = up
    ? await watchLogin(context, Number(args.watch))
    : { navigations: 0, loginRequests: 0, loggedIn: false, reasons: ["never became healthy"] };

  const stopAt = Date.now();
  process.kill(-pgid, signal);
  await exited;
  const stopped = await waitFor(() => launchProcesses(pgid).length === 0, 15_000);
  const stopMs = stopped ? Date.now() - stopAt : null;
  const leftBehind = stopped ? [] : launchProcesses(pgid);
  // Reported, then killed one by one (they are not all in the launcher's group), so the next
  // cycle finds the ports and the database free.
  for (const line of leftBehind) {
    try {
      process.kill(Number(line.split(" ")[0]), "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  // A gentle stop must end with next dev deleting its lock: one left behind means next dev was
  // killed before it finished stopping, and may not have saved its compile cache.
  const lockLeft = signal !== "SIGKILL" && existsSync(path.join(dir, ".next", "dev", "lock"));
  await openTab?.close();
  openTab = context; // it reconnects to the next server and reloads, as an open tab does
  // The next start must find the ports free, as a user's next start would.
  await waitFor(async () => !(await healthy()), 10_000);
  return { signal, startMs, repaired, ...watched, stopMs, leftBehind, lockLeft };
}

async function main() {
  syncCopy();
  mkdirSync(logDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
  const results: Cycle[] = [];
  let index = 0;
  try {
    for (const signal of signals) {
      for (let i = 0; i < Number(args.cycles); i++) {
        const cycle = await runCycle(browser, signal, ++index);
        results.push(cycle);
        const stop =
          cycle.signal === "SIGKILL"
            ? ""
            : cycle.stopMs === null
              ? `  LEFT BEHIND: ${cycle.leftBehind.join("; ")}`
              : `  stopped in ${cycle.stopMs} ms${cycle.lockLeft ? ", LEFT next dev's lock" : ""}`;
        console.log(
          `#${index} ready in ${(cycle.startMs / 1000).toFixed(1)} s${cycle.repaired ? " (compile cache repaired)" : ""}  navigations ${cycle.navigations} (/login requests ${cycle.loginRequests})  login ${cycle.loggedIn ? "ok" : "FAILED"}  then ${signal}${stop}` +
            (cycle.reasons.length > 0 ? `\n    ${cycle.reasons.join("\n    ")}` : ""),
        );
      }
    }
  } finally {
    await openTab?.close();
    await browser.close();
  }

  console.log("\nsignal   cycles  loops (>1 navigation)  max navigations  clean stops  locks left  slowest stop");
  for (const signal of signals) {
    const of = results.filter((r) => r.signal === signal);
    const loops = of.filter((r) => r.navigations !== 1).length;
    const clean = signal === "SIGKILL" ? "-" : String(of.filter((r) => r.stopMs !== null).length);
    const locks = signal === "SIGKILL" ? "-" : String(of.filter((r) => r.lockLeft).length);
    const slowest = signal === "SIGKILL" ? "-" : `${Math.max(...of.map((r) => r.stopMs ?? Infinity))} ms`;
    console.log(
      `${signal.padEnd(8)} ${String(of.length).padStart(6)}  ${String(loops).padStart(21)}  ${String(Math.max(...of.map((r) => r.navigations))).padStart(15)}  ${clean.padStart(11)}  ${locks.padStart(10)}  ${slowest}`,
    );
  }
  console.log(
    JSON.stringify({
      cycles: results.length,
      loops: results.filter((r) => r.navigations !== 1).length,
      leftBehind: results.filter((r) => r.leftBehind.length > 0).length,
      locksLeft: results.filter((r) => r.lockLeft).length,
      cachesRepaired: results.filter((r) => r.repaired).length,
    }),
  );
  if (results.some((r) => r.navigations !== 1 || !r.loggedIn || r.leftBehind.length > 0 || r.lockLeft)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
