import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { chunkListAnsweredRestart } from "./dev-build-cache";

/**
 * A stand-in for `next dev` 16.4.5 as the launcher meets it: /login's HTML loads a chunk list and
 * a plain chunk, and /_next/hmr answers each `turbopack-subscribe` as `answer` says. The frames
 * are those the real dev server sent to Chromium on a cache that looped (issue 9) and on one
 * that did not.
 */
const RUNTIME_LIST = "static/chunks/_1anvha4rlo79g._.js";
const PLAIN_CHUNK = "static/chunks/node_modules_next_dist_client_1165-soo5tfpf._.js";
const CHUNK_LIST_FILE = `(globalThis["TURBOPACK_CHUNK_LISTS"] || (globalThis["TURBOPACK_CHUNK_LISTS"] = [])).push({
    script: typeof document === "object" ? document.currentScript : undefined,
    chunks: ["${PLAIN_CHUNK}"],
    source: "entry"
});`;

type Answer = "restart" | "issues only" | "restart for another file";
let server: Server | null = null;
let subscribed: string[] = [];

async function fakeDevServer(answer: Answer): Promise<string> {
  subscribed = [];
  server = createServer((request, response) => {
    if (request.url === "/login") {
      response.setHeader("content-type", "text/html");
      return response.end(`<!DOCTYPE html><html><head><script src="/_next/${PLAIN_CHUNK}" async=""></script></head>
        <body><script src="/_next/${RUNTIME_LIST}" async=""></script><script>self.__next_f.push([1,"x"])</script></body></html>`);
    }
    if (request.url === `/_next/${RUNTIME_LIST}`) return response.end(CHUNK_LIST_FILE);
    if (request.url === `/_next/${PLAIN_CHUNK}`)
      return response.end("(globalThis.TURBOPACK || (globalThis.TURBOPACK = [])).push([".padEnd(200_000, " "));
    response.statusCode = 404;
    response.end();
  });
  const sockets = new WebSocketServer({ server, path: "/_next/hmr" });
  sockets.on("connection", (socket) => {
    socket.send(JSON.stringify({ type: "turbopack-connected", data: { sessionId: 1, hmrVersion: "0" } }));
    socket.send(' 1O8MnkCmt5U8pLdegoWiN:N1796013328455.6272\n2:{"name":"Preloads"}');
    socket.on("message", (raw) => {
      const message = JSON.parse(String(raw)) as { type: string; path: string; hmrVersion: string };
      if (message.type !== "turbopack-subscribe") return;
      subscribed.push(message.path);
      if (answer === "issues only") return; // hot-reloader-turbopack.js does not pass a first issues-only answer on
      const path = answer === "restart" ? message.path : "static/chunks/_0other._.js";
      socket.send(JSON.stringify({ type: "building" }));
      socket.send(
        JSON.stringify({
          type: "turbopack-message",
          data: [{ resource: { path, headers: null }, type: "restart", issues: [], diagnostics: [] }],
          hmrVersion: "1",
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = null;
});

describe("chunkListAnsweredRestart", () => {
  it("names the chunk list a dev server answers with restart on its first subscription, having subscribed to chunk lists only", async () => {
    const origin = await fakeDevServer("restart");
    expect(await chunkListAnsweredRestart(origin, { answerMs: 2_000 })).toBe(RUNTIME_LIST);
    expect(subscribed).toEqual([RUNTIME_LIST]);
  });

  it("finds nothing when the first answer has nothing to update, as a healthy session's has", async () => {
    const origin = await fakeDevServer("issues only");
    expect(await chunkListAnsweredRestart(origin, { answerMs: 500 })).toBeNull();
    expect(subscribed).toEqual([RUNTIME_LIST]);
  });

  it("ignores a restart sent for a file the page does not load", async () => {
    const origin = await fakeDevServer("restart for another file");
    expect(await chunkListAnsweredRestart(origin, { answerMs: 500 })).toBeNull();
  });

  it("finds nothing, and does not hang, when nothing answers", async () => {
    expect(await chunkListAnsweredRestart("http://127.0.0.1:9", { answerMs: 500 })).toBeNull();
  });
});
