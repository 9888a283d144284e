import { describe, expect, it } from "vitest";
import { createSseParser, reconnectDelay } from "./sse";

describe("createSseParser", () => {
  it("yields events as their blank line arrives, across chunks, with their id and name", () => {
    const parse = createSseParser();
    expect(parse('id: ab12cd34-1\ndata: {"k":"lead"')).toEqual([]);
    expect(parse(',"ids":null}\n\n: keep-alive\n\nevent: ready\nid: ab12cd34-2\ndata: {}\n\n')).toEqual([
      { id: "ab12cd34-1", event: "message", data: '{"k":"lead","ids":null}' },
      { id: "ab12cd34-2", event: "ready", data: "{}" },
    ]);
  });

  it("ignores heartbeats and blocks without data, reads CRLF, and joins data lines", () => {
    const parse = createSseParser();
    expect(parse(": keep-alive\n\nretry: 2000\n\n")).toEqual([]);
    expect(parse("data: a\r\ndata: b\r\n\r\n")).toEqual([{ id: null, event: "message", data: "a\nb" }]);
  });
});

describe("reconnectDelay", () => {
  it("doubles from one second up to thirty, with jitter between half and all of it", () => {
    expect(reconnectDelay(0, () => 1)).toBe(1_000);
    expect(reconnectDelay(0, () => 0)).toBe(500);
    expect(reconnectDelay(3, () => 1)).toBe(8_000);
    expect(reconnectDelay(20, () => 1)).toBe(30_000);
  });
});
