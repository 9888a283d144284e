import { describe, expect, it } from "vitest";
import { CopyChunks, copyRowLine } from "./copy-text";

describe("a row in COPY text format", () => {
  it("quotes every element and stacks the array literal's escaping under COPY's", () => {
    expect(copyRowLine("i", "w", 7, ["plain", "", "NULL", 'a"b', "back\\slash", "t\tn\nr\r", "{x,y}"])).toBe(
      'i\tw\t7\t{"plain","","NULL","a\\\\"b","back\\\\\\\\slash","t\\tn\\nr\\r","{x,y}"}\n',
    );
  });
});

describe("COPY lines packed into chunks of bytes", () => {
  const pack = (lines: string[], size: number) => {
    const chunks = new CopyChunks(size);
    const out = lines.flatMap((line) => chunks.add(line));
    const last = chunks.take();
    return last ? [...out, last] : out;
  };

  it("keeps every line whole and in order, whatever its characters, each chunk within its size", () => {
    // ASCII, Latin-1, outside Latin-1 (two-byte strings), astral (surrogate pairs), quoted COPY text.
    const lines = ["a\\tb\n", "Zoë Müller\n", "Łukasz Żółw\n", "🚀 Zoë 日本\n", copyRowLine("i", "w", 3, ['a"b', "Renée"])];
    for (const size of [24, 40, 64, 1024]) {
      const chunks = pack([...lines, ...lines, ...lines], size);
      expect(Buffer.concat(chunks).toString("utf8")).toBe([...lines, ...lines, ...lines].join(""));
      for (const chunk of chunks) {
        expect(chunk.length).toBeGreaterThan(0);
        // Within its size, unless it is one line too long for any chunk.
        const lineCount = chunk.toString("utf8").split("\n").length - 1;
        expect(chunk.length <= size || lineCount === 1).toBe(true);
      }
    }
  });

  it("gives a line longer than a chunk a chunk of its own, after the lines before it", () => {
    const long = `${"Łukasz ".repeat(20)}\n`;
    const chunks = pack(["one\n", long, "two\n"], 32);
    expect(chunks.map((c) => c.toString("utf8"))).toEqual(["one\n", long, "two\n"]);
  });

  it("takes nothing when no line was added", () => {
    expect(new CopyChunks(16).take()).toBeNull();
  });
});
