import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { isLiveProcess } from "@/lib/local/live-process";

/**
 * Why this launch must not go on because the app (or something else) already runs, or null.
 * Checked before anything starts: a second `npm run dev` used to start a second job executor
 * and print "ready" (its health check reached the first app), then die with EADDRINUSE.
 */
export async function alreadyRunning({ port, distDir, dev }: { port: number; distDir: string; dev: boolean }): Promise<string | null> {
  const running = dev ? devServerOf(distDir) : null;
  if (running && running.port === port) {
    return `The app is already running from this directory at ${running.url} (next dev, pid ${running.pid}). Open it there, or stop it (Ctrl-C in its terminal) before starting it again.`;
  }
  if (running) {
    return `The app is already running from this directory at ${running.url} (next dev, pid ${running.pid}); one directory serves one \`npm run dev\`. Open it there, or stop it first.`;
  }
  if (await portTaken(port)) {
    return `Port ${port} is already in use: the app may already be running at http://localhost:${port}. Open it there, stop the program using the port, or start on another port: PORT=${port + 1} npm run ${dev ? "dev" : "start"}`;
  }
  return null;
}

type DevServer = { pid: number; port: number; url: string };

/**
 * `next dev` holds a lock in <distDir>/dev/lock naming its server process and port (Next.js
 * 16.4). The file outlives a killed server, so its PID must still be a Next.js server.
 */
function devServerOf(distDir: string): DevServer | null {
  try {
    const info = JSON.parse(readFileSync(path.join(distDir, "dev", "lock"), "utf8")) as { pid?: unknown; port?: unknown; appUrl?: unknown };
    const pid = Number(info.pid);
    const port = Number(info.port);
    if (!isLiveProcess(pid, /next/)) return null;
    return { pid, port, url: typeof info.appUrl === "string" ? info.appUrl : `http://localhost:${port}` };
  } catch {
    return null;
  }
}

/** Binds the port as Next.js will (all interfaces): whatever makes that fail would make Next fail. */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    probe.listen(port, () => probe.close(() => resolve(false)));
  });
}
