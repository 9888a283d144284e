import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { handleAuthRequest } from "./handler";

const LIMIT = 64 * 1024;
const CHUNK = 16 * 1024;

/** A body of `totalBytes` that records how much of it the server pulled. */
function meteredBody(totalBytes: number) {
  const meter = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (meter.pulled >= totalBytes) return controller.close();
      meter.pulled += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
    },
    cancel() {
      meter.cancelled = true;
    },
  });
  return { stream, meter };
}

function post(body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) {
  return handleAuthRequest(
    new Request("http://127.0.0.1:3999/auth/v1/token?grant_type=password", {
      method: "POST",
      headers: { "content-type": "application/json", apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY, ...headers },
      body,
      duplex: "half",
    } as RequestInit),
  );
}

describe("the 64 KiB body cap on /auth/v1", () => {
  it("refuses a declared Content-Length over the cap with 413 before reading any of it", async () => {
    const { stream, meter } = meteredBody(200 * 1024 * 1024);
    const response = await post(stream, { "content-length": String(200 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 413, error_code: "request_entity_too_large" });
    expect(meter.pulled).toBeLessThanOrEqual(CHUNK);
  });

  it("stops reading a body without a length as soon as it passes the cap", async () => {
    const { stream, meter } = meteredBody(200 * 1024 * 1024);
    const response = await post(stream);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error_code: "request_entity_too_large" });
    // The stream may run one chunk ahead of the reader, never more.
    expect(meter.pulled).toBeLessThanOrEqual(LIMIT + 2 * CHUNK);
    expect(meter.cancelled).toBe(true);
  });

  it("stops a body that declares a small length but sends more", async () => {
    const { stream, meter } = meteredBody(10 * 1024 * 1024);
    const response = await post(stream, { "content-length": "100" });
    expect(response.status).toBe(413);
    expect(meter.pulled).toBeLessThanOrEqual(LIMIT + 2 * CHUNK);
  });

  it("still reads a body just under the cap", async () => {
    const padding = " ".repeat(LIMIT - 100);
    const response = await post(`{"email":"nobody@example.com","password":"wrong password"}${padding}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error_code: "invalid_credentials" });
  });
});
