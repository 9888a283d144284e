import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { backgroundRoutes, untilRoutesAnswer } from "./background-routes";
import { LOCAL_DEV_ENV as BASE } from "@/lib/local/testing/local-dev-env";

describe("backgroundRoutes", () => {
  it("names the outbox's Resend API and the webhook route it delivers to when mail stays in the outbox", () => {
    const routes = backgroundRoutes(parseEnv(BASE), "http://127.0.0.1:4000");
    expect(routes[0]).toBe("http://127.0.0.1:4000/api/local-resend/emails");
    expect(routes[1]).toMatch(/^http:\/\/127\.0\.0\.1:4000\/api\/webhooks\/resend/);
    expect(routes).toHaveLength(2);
  });

  it("names none when email goes to Resend itself (no outbox, no outbox deliveries)", () => {
    expect(backgroundRoutes(parseEnv({ ...BASE, RESEND_API_KEY: "re_live_123" }), "http://127.0.0.1:4000")).toEqual([]);
  });
});

/**
 * A stand-in for `next dev` after /api/health answered: the other routes are not compiled yet,
 * and the first request to each is held until its compile ends, as Next holds it.
 */
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function devServer(compileMs: Record<string, number>): Promise<{ origin: string; answeredAt: Map<string, number> }> {
  const answeredAt = new Map<string, number>();
  server = createServer((request, response) => {
    const path = new URL(request.url!, "http://x").pathname;
    setTimeout(() => {
      answeredAt.set(path, Date.now());
      response.writeHead(path === "/api/local-resend/emails" ? 401 : 405, { "content-type": "application/json" }).end("{}");
    }, compileMs[path] ?? 0);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, answeredAt };
}

describe("untilRoutesAnswer", () => {
  it("returns only once every route answered, the slowest compile included, whatever its status", async () => {
    const { origin, answeredAt } = await devServer({ "/api/local-resend/emails": 1_200, "/api/webhooks/resend": 300 });
    const ready = await untilRoutesAnswer([`${origin}/api/local-resend/emails`, `${origin}/api/webhooks/resend`]);
    const returnedAt = Date.now();
    expect(ready).toBe(true);
    expect(answeredAt.get("/api/local-resend/emails")).toBeLessThanOrEqual(returnedAt);
    expect(answeredAt.get("/api/webhooks/resend")).toBeLessThanOrEqual(returnedAt);
  });

  it("keeps asking while nothing listens yet, and answers false at its deadline", async () => {
    const { origin } = await devServer({});
    const port = new URL(origin).port;
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const started = Date.now();
    expect(await untilRoutesAnswer([`http://127.0.0.1:${port}/api/local-resend/emails`], { timeoutMs: 700, retryMs: 100 })).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });
});
