import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type SentEmail = { to: string[]; subject: string; html: string };

/**
 * A stand-in for Resend's HTTP API (POST /emails) that keeps what it is sent: a production
 * start with RESEND_API_KEY and RESEND_BASE_URL pointed here delivers mail as with Resend.
 */
export async function startFakeResend(): Promise<{ url: string; sent: SentEmail[]; close: () => Promise<void> }> {
  const sent: SentEmail[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      if (request.method !== "POST" || request.url !== "/emails") {
        response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "not found" }));
        return;
      }
      const email = JSON.parse(body) as { to: string | string[]; subject: string; html: string };
      sent.push({ to: Array.isArray(email.to) ? email.to : [email.to], subject: email.subject, html: email.html });
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: randomUUID() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sent, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
