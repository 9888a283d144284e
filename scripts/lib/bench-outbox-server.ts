/**
 * The local outbox's Resend API (lib/outbox/resend-endpoint.ts, what app/api/local-resend
 * serves) on a plain Node HTTP server, in its own process as it is beside the executor in
 * `npm start`, for `npm run bench:campaign`: the campaign and the floor send to this same
 * server. Listens on PORT under /api/local-resend; says "ready" on stdout once listening.
 */
import http from "node:http";
import { createLocalResendHandler } from "@/lib/outbox/resend-endpoint";

const PREFIX = "/api/local-resend";
const port = Number(process.env.PORT);
const rate = Number(process.env.LOCAL_OUTBOX_RATE_LIMIT ?? 0);
const handle = createLocalResendHandler(rate > 0 ? { rateLimitPerSecond: rate } : {});

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    void (async () => {
      try {
        const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
        if (!url.pathname.startsWith(`${PREFIX}/`)) {
          res.writeHead(404).end();
          return;
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const request = new Request(url, { method: req.method, headers, body });
        const response = await handle(request, url.pathname.slice(PREFIX.length));
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        console.error(error);
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ statusCode: 500, name: "application_error" }));
      }
    })();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
