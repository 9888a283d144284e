import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type WebHandler = (request: Request) => Promise<Response>;
export type ServedHandler = { url: string; close: () => Promise<void> };

/**
 * Serves a Fetch-API handler (the same function a Next route handler calls) over real HTTP
 * on a random loopback port, so SDKs under test make genuine requests.
 */
export async function serveWebHandler(handler: WebHandler, port = 0): Promise<ServedHandler> {
  const server = createServer(async (req, res) => {
    try {
      const address = server.address() as AddressInfo;
      const request = new Request(`http://127.0.0.1:${address.port}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await readBody(req)),
      });
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
