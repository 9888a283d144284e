import { describe, expect, it } from "vitest";
import { z } from "zod";
import { instantlyPage, ZInstantlyLead } from "./schemas";
import { instantlyPages, type InstantlyPage } from "./resources";

type Page = { items: string[]; next: string | undefined; received?: number };

/** Pages keyed by the cursor asked with ("" for the first); each names the cursor that follows it. */
function pagesOf(book: Record<string, Page>) {
  const asked: (string | undefined)[] = [];
  const fetchPage = async (after: string | undefined) => {
    asked.push(after);
    if (asked.length > 50) throw new Error("still reading after 50 pages");
    const found: Page = book[after ?? ""] ?? { items: [], next: undefined };
    return { ...found, received: found.received ?? found.items.length, leftOut: [] } satisfies InstantlyPage<string>;
  };
  return { asked, fetchPage };
}

async function read(book: Record<string, Page>, startingAfter?: string) {
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

describe("instantlyPage", () => {
  const lead = (id: string, status: unknown) => ({ id, email: `${id}@example.test`, campaign: "c1", status, timestamp_updated: null });

  it("keeps the items of the expected shape and leaves out, counted, one Instantly wrote in another", () => {
    const answer = instantlyPage(ZInstantlyLead).parse({
      items: [lead("a", 1), lead("b", "1"), lead("c", -2)],
      next_starting_after: "c",
    });
    expect(answer.items.map((l) => l.id)).toEqual(["a", "c"]);
    expect(answer).toMatchObject({ received: 3, next_starting_after: "c", skipped: [{ field: "items.1.status", item: lead("b", "1") }] });
  });

  it("still refuses an answer that is not a page at all", () => {
    expect(instantlyPage(ZInstantlyLead).safeParse({ data: [] }).success).toBe(false);
    expect(instantlyPage(z.string()).safeParse({ items: "x" }).success).toBe(false);
  });
});

describe("instantlyPages on a page whose every item was left out", () => {
  it("goes on to the next page: the list ends only on a page Instantly sent empty", async () => {
    const { items, asked } = await read({ "": { items: [], received: 2, next: "B" }, B: { items: ["c"], next: "C" } });
    expect(items).toEqual(["c"]);
    expect(asked).toEqual([undefined, "B", "C"]);
  });
});
