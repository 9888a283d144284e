import { describe, expect, it } from "vitest";
import { readBodyCapped } from "./read-body-capped";

/** A body that never ends: reading it whole would never finish (nor stop taking memory). */
function endless(): ReadableStream<Uint8Array> {
  return new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array(16 * 1024).fill(120)) });
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/in", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readBodyCapped", () => {
  it("gives the body as text up to the cap, accents and all", async () => {
    expect(await readBodyCapped(post('{"name":"Zoë Núñez"}'), 64)).toBe('{"name":"Zoë Núñez"}');
    expect(await readBodyCapped(post(""), 64)).toBe("");
  });

  it("stops at the first chunk past the cap of a body that announces no length", async () => {
    expect(await readBodyCapped(post(endless()), 100_000)).toBeNull();
  });

  it("refuses a declared length over the cap before reading anything", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        pulled += 1;
        controller.enqueue(new Uint8Array(10));
      },
    });
    expect(await readBodyCapped(post(body, { "content-length": "5000000" }), 1024)).toBeNull();
    expect(pulled).toBeLessThanOrEqual(1); // at most the stream's own first pull, never read on
  });
});
