import { describe, expect, it } from "vitest";
import { Batcher } from "./batcher";

/** A write the test answers by hand, recording each batch it was given. */
function manualWrite() {
  const batches: string[][] = [];
  const answers: (() => void)[] = [];
  const write = (items: string[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve) => answers.push(() => resolve(items.map((i) => `saved ${i}`))));
  };
  return { batches, write, answerNext: () => answers.shift()?.() };
}

/** Two turns of the event loop: the batcher may queue its send after this was queued. */
const turn = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe("Batcher (group commit)", () => {
  it("sends writes submitted in one turn as one batch, even when nothing is in flight", async () => {
    const { batches, write, answerNext } = manualWrite();
    const batcher = new Batcher(write);
    const saved = ["a", "b", "c"].map((item) => batcher.submit(item));
    await turn();
    expect(batches).toEqual([["a", "b", "c"]]);
    answerNext();
    await expect(Promise.all(saved)).resolves.toEqual(["saved a", "saved b", "saved c"]);
  });

  it("holds writes while a batch is in flight and sends them, with the answered callers' next writes, as the next batch", async () => {
    const { batches, write, answerNext } = manualWrite();
    const batcher = new Batcher(write);
    const first = batcher.submit("step 1").then(() => batcher.submit("step 2"));
    await turn();
    const other = batcher.submit("other step");
    await turn();
    expect(batches).toEqual([["step 1"]]);

    answerNext();
    await turn();
    expect(batches).toEqual([["step 1"], ["other step", "step 2"]]);
    answerNext();
    await expect(Promise.all([first, other])).resolves.toEqual(["saved step 2", "saved other step"]);
  });

  it("retries a failing batch item by item, so one bad write does not fail the others", async () => {
    const batches: string[][] = [];
    const batcher = new Batcher(async (items: string[]) => {
      batches.push(items);
      if (items.includes("bad")) throw new Error("value too long");
      return items.map((i) => `saved ${i}`);
    });
    const results = await Promise.allSettled(["a", "bad", "c"].map((item) => batcher.submit(item)));
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      "saved a",
      "value too long",
      "saved c",
    ]);
    expect(batches).toEqual([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
  });
});
