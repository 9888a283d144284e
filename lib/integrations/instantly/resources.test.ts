import { describe, expect, it } from "vitest";
import { instantlyPages, type InstantlyPage } from "./resources";

/** Pages keyed by the cursor asked with ("" for the first); each names the cursor that follows it. */
function pagesOf(book: Record<string, InstantlyPage<string>>) {
  const asked: (string | undefined)[] = [];
  const fetchPage = async (after: string | undefined) => {
    asked.push(after);
    if (asked.length > 50) throw new Error("still reading after 50 pages");
    return book[after ?? ""] ?? { items: [], next: undefined };
  };
  return { asked, fetchPage };
}

async function read(book: Record<string, InstantlyPage<string>>, startingAfter?: string) {
  const { asked, fetchPage } = pagesOf(book);
  const items: string[] = [];
  for await (const page of instantlyPages(fetchPage, { startingAfter })) items.push(...page.items);
  return { items, asked };
}

describe("instantlyPages", () => {
  it("reads every page until an empty one", async () => {
    const { items, asked } = await read({ "": { items: ["a", "b"], next: "B" }, B: { items: ["c"], next: "C" } });
    expect(items).toEqual(["a", "b", "c"]);
    expect(asked).toEqual([undefined, "B", "C"]);
  });

  it("stops when Instantly hands back a cursor it gave before, instead of reading in a circle for ever", async () => {
    const cycle = { "": { items: ["a"], next: "B" }, B: { items: ["b"], next: "C" }, C: { items: ["c"], next: "B" } };
    expect(await read(cycle)).toEqual({ items: ["a", "b", "c"], asked: [undefined, "B", "C"] });
    // The stored cursor counts as seen: a page pointing back to it ends the list.
    const back = { B: { items: ["b"], next: "C" }, C: { items: ["c"], next: "B" } };
    expect(await read(back, "B")).toEqual({ items: ["b", "c"], asked: ["B", "C"] });
    // A page naming itself as the next ends it too.
    expect(await read({ "": { items: ["a"], next: "A" }, A: { items: ["a2"], next: "A" } })).toEqual({
      items: ["a", "a2"],
      asked: [undefined, "A"],
    });
  });
});
