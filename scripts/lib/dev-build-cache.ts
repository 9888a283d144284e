import { rm } from "node:fs/promises";
import path from "node:path";
import WebSocket from "ws";

/**
 * Lets `next dev` finish stopping its server on Ctrl-C, SIGTERM and SIGHUP, so that the server
 * deletes its <distDir>/dev/lock. (It does not write its compile cache then: `next dev` 16.4.5
 * persists that only in snapshots taken while it runs; scripts/lib/reload-loop-recipe.ts.)
 *
 * Why: Next.js 16.4.5's `next dev` passes the signal on to its server process and kills it with
 * SIGKILL 100 ms later (cli/next-dev.js: CHILD_EXIT_TIMEOUT_MS, read from NEXT_EXIT_TIMEOUT_MS).
 * The server deletes its lock at the end of its own clean-up (server/lib/start-server.js closes
 * the connections, then hot-reloader-turbopack.js runs Turbopack's exit handlers and unlocks),
 * which took 38 ms and 440 ms in two measured stops of a used app here: 2 of 8 Ctrl-C stops left
 * the lock. Five seconds stays under the ten the launcher gives Next before killing it
 * (scripts/launch.ts, stopChild).
 */
export const NEXT_DEV_STOP_ENV = { NEXT_EXIT_TIMEOUT_MS: "5000" } as const;

/** The first bytes of every chunk list Turbopack serves in development (Next.js 16.4.5). */
const CHUNK_LIST_START = '(globalThis["TURBOPACK_CHUNK_LISTS"]';

type Socket = {
  onopen: unknown;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  send(data: string): void;
  close(): void;
};
export type SocketConstructor = new (url: string) => Socket;

/**
 * Asks the running `next dev` what a browser opening `page` asks it, and returns the chunk list
 * it answers with "restart" on the very first HMR subscription (null when every chunk list is
 * answered as it should be, or when the question cannot be asked: the launcher then starts as
 * before).
 *
 * Why: the /login reload loop of issue 9 ("GET /login 200", "✓ Compiled in 1ms", over and over,
 * the Log in button never enabled). In Next.js 16.4.5 (Turbopack) the HMR map of a session's
 * output files (next-api's VersionedContentMap) is not persisted, and a page's first HMR
 * subscription to a chunk list is answered from that map: a chunk list missing from it is an
 * update that is "Missing", which the native binding sends as `{"type":"restart"}`;
 * hot-reloader-turbopack.js forwards it (raising the HMR version: "✓ Compiled in 1ms") and the
 * page reloads, subscribes again, and is answered "restart" again, for good. Measured on a
 * cache kept from an e2e run and restored after the checkout moved on (issue 9): starts on
 * that cache looped, always on the app's runtime chunk list (static/chunks/<hash>._.js, the same
 * file on every page), whose file the looping session never rewrote; pages compiled meanwhile
 * did not end it, so the lookup of that chunk list in the map, restored from the cache, never
 * ran again in that session. The newer source of that map (vercel/next.js,
 * crates/next-api/src/versioned_content_map.rs) describes this failure: a task that reads the map
 * and is restored clean from the cache keeps its old answer for the whole session.
 *
 * Where in Next.js 16.4.5 (read from node_modules/next/dist's source maps and the upstream Rust
 * sources; the binding's own 16.4.5 source is not shipped): hot-reloader-turbopack.ts,
 * subscribeToClientHmrEvents, sends on any first answer of project.clientHmrEvents(chunk list)
 * that is not "issues"; the binding (crates/napi/src/next_api/project.rs,
 * project_client_hmr_events) turns Update::Missing into ClientUpdateInstruction::restart; and
 * Project::hmr_update (crates/next-api/src/project.rs) answers Missing when hmr_content finds no
 * entry for the path in the VersionedContentMap (VersionedContentMap::get, get_asset, raw_get).
 * That map is not persisted (upstream declares it `serialization = "skip"`; the 16.4.5 binary's
 * strings list it apart from the persisted value types), so a task that read it and is restored
 * clean from the cache keeps its old answer in the new session unless it re-runs there.
 *
 * Which earlier sessions leave such a cache: scripts/lib/reload-loop-recipe.ts recreates one from
 * an empty cache (5 of 5 tries: /login compiled, a page subscribed to its chunk lists, /signup
 * compiled, and the session killed while the last snapshot holds the state just after /signup;
 * a snapshot taken later, once the open page's lookups have run again, was healthy). Why it
 * looks random:
 * `next dev` persists its cache only in background snapshots, never at a stop (its server calls
 * projectOnExit, not projectShutdown), so which state a restart restores depends on when the last
 * snapshot fell. restart-cycles.ts (2026-11-30) met such a cache after 3 of 20 kill-and-restart
 * cycles and 1 of 5 clean stops; a kept cache restored on one checkout looped in one start and
 * not the next. A looping session's /login HTML loads 18 scripts, among them a
 * "[root-of-the-server]" chunk, where a healthy one loads 16 or 17.
 *
 * Nothing in the cache directory tells such a cache apart, and the project cannot reach inside
 * Turbopack; the dev server's own first answer does, exactly: a healthy session answers a first
 * subscription with nothing to do, never "restart".
 */
export async function chunkListAnsweredRestart(
  origin: string,
  // `ws`, not Node's global WebSocket: Node 20 has that only under --experimental-websocket, and
  // without it the question was silently never asked (no repair, no word of it).
  { page = "/login", answerMs = 5_000, Socket = WebSocket as unknown as SocketConstructor } = {},
): Promise<string | null> {
  const chunkLists = await chunkListsOf(origin, page);
  if (chunkLists.length === 0) return null;
  return new Promise((resolve) => {
    let settled = false;
    const socket = new Socket(`${origin.replace(/^http/, "ws")}/_next/hmr`);
    const finish = (answer: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.onmessage = socket.onerror = socket.onclose = null;
      socket.close();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(null), answerMs + 30_000); // the connection itself never came
    socket.onerror = () => finish(null);
    socket.onclose = () => finish(null);
    socket.onmessage = ({ data }) => {
      const message = parse(String(data));
      if (message?.type === "turbopack-connected") {
        const hmrVersion = (message.data as { hmrVersion?: unknown } | undefined)?.hmrVersion;
        for (const path of chunkLists) socket.send(JSON.stringify({ type: "turbopack-subscribe", path, hmrVersion }));
        clearTimeout(timer);
        setTimeout(() => finish(null), answerMs);
      }
      if (message?.type === "turbopack-message" && Array.isArray(message.data)) {
        const restart = (message.data as { type?: unknown; resource?: { path?: unknown } }[]).find(
          (update) => update.type === "restart" && chunkLists.includes(String(update.resource?.path)),
        );
        if (restart) finish(String(restart.resource!.path));
      }
    };
  });
}

/** The chunk lists (as the HMR client names them: "static/chunks/…js") that `page`'s HTML loads. */
async function chunkListsOf(origin: string, page: string): Promise<string[]> {
  let html: string;
  try {
    // A first compile of the page on a cold cache and a busy machine can take minutes.
    const response = await fetch(`${origin}${page}`, { signal: AbortSignal.timeout(240_000) });
    if (!response.ok) return [];
    html = await response.text();
  } catch {
    return [];
  }
  const scripts = [
    ...new Set([...html.matchAll(/<script[^>]*\ssrc="[^"]*?\/_next\/(static\/chunks\/[^"?]+\.js)/g)].map((match) => match[1]!)),
  ];
  const lists = await Promise.all(scripts.map(async (script) => ((await startOf(`${origin}/_next/${script}`)) ? script : null)));
  return lists.filter((script): script is string => script !== null);
}

/** Whether the file at `url` is a chunk list: reads its first bytes only (some chunks are megabytes). */
async function startOf(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok || !response.body) return false;
    const reader = response.body.getReader();
    let text = "";
    while (text.length < CHUNK_LIST_START.length) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString("utf8");
    }
    await reader.cancel();
    return text.startsWith(CHUNK_LIST_START);
  } catch {
    return false;
  }
}

function parse(text: string): { type?: unknown; data?: unknown } | null {
  try {
    return JSON.parse(text) as { type?: unknown; data?: unknown };
  } catch {
    return null; // the dev server also sends React Flight text frames
  }
}

/** Deletes Turbopack's persistent compile cache of `distDir`'s `next dev`, and nothing else. */
export async function clearTurbopackCache(distDir: string): Promise<string> {
  const cache = path.join(distDir, "dev", "cache", "turbopack");
  await rm(cache, { recursive: true, force: true });
  return path.relative(process.cwd(), cache);
}
