import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { Utf8Stream, type Utf8Chunk } from "./utf8-stream";

/** Feeds `bytes` in chunks of `size` and collects what passes on, until a chunk is not UTF-8. */
function feed(bytes: Buffer, size: number): { passed: Buffer; last: Utf8Chunk | null } {
  const stream = new Utf8Stream();
  const passed: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const result = stream.next(bytes.subarray(i, i + size));
    if (result.kind !== "utf-8") return { passed: Buffer.concat(passed), last: result };
    passed.push(...result.bytes);
  }
  const end = stream.end();
  return { passed: Buffer.concat(passed), last: end };
}

describe("checking a file as UTF-8 chunk by chunk", () => {
  it.each([1, 2, 3, 5, 64])("passes every byte of valid UTF-8 on, in order, whatever the chunks cut (chunks of %i)", (size) => {
    const text = Buffer.from("Zoë Ångström 😀 Łódź €\n".repeat(20));
    const { passed, last } = feed(text, size);
    expect(last).toBeNull();
    expect(passed.equals(text)).toBe(true);
  });

  it.each([1, 4, 1000])("switches to a legacy encoding at the first non-ASCII byte when it is not UTF-8 (chunks of %i)", (size) => {
    const ascii = Buffer.from("Email,Name\n" + "a@x.test,Ann\n".repeat(100));
    const latin = iconv.encode("zoe@x.test,Zoë\n", "windows-1252");
    const { passed, last } = feed(Buffer.concat([ascii, latin]), size);
    expect(last?.kind).toBe("legacy");
    const rest = (last as { bytes: Buffer }).bytes;
    expect(Buffer.concat([passed, rest]).equals(Buffer.concat([ascii, latin]))).toBe(true);
  });

  it("calls a lone continuation byte or a character cut off by the file's end not UTF-8", () => {
    expect(feed(Buffer.from([0x61, 0x80, 0x62]), 8).last?.kind).toBe("legacy");
    expect(feed(Buffer.from([0x61, 0x62, 0xe9]), 8).last?.kind).toBe("legacy");
    expect(feed(Buffer.from([0x61, 0xc3]), 1).last?.kind).toBe("legacy");
  });

  it.each([1, 7])("stops a file that has valid UTF-8 before bytes that are not (chunks of %i)", (size) => {
    const bytes = Buffer.concat([Buffer.from("Zoë\nAnn\n"), Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x0a, 0x42])]);
    const { last } = feed(bytes, size);
    expect(last?.kind).toBe("mixed");
    expect((last as { context: Buffer }).context.toString("latin1")).toBe("Jos\xe9");
  });

  it("refuses overlong forms and surrogates, which a byte-pattern check would let through", () => {
    expect(feed(Buffer.from([0x61, 0xc0, 0xaf]), 8).last?.kind).toBe("legacy");
    expect(feed(Buffer.from([0x61, 0xed, 0xa0, 0x80]), 1).last?.kind).toBe("legacy");
  });
});
