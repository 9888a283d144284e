import { describe, expect, it } from "vitest";
import { latestOnly } from "./latest-only";

/** A send whose answers the test releases by hand, recording what was sent. */
function manualSend() {
  const sent: string[] = [];
  const pending: (() => void)[] = [];
  const send = (ask: string) =>
    new Promise<string>((resolve) => {
      sent.push(ask);
      pending.push(() => resolve(`answer to ${ask}`));
    });
  const answerNext = async () => {
    pending.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { send, sent, answerNext, inFlight: () => pending.length };
}

describe("latestOnly", () => {
  it("keeps one request in flight, sends only the latest ask made meanwhile, and drops the answer it supersedes", async () => {
    const { send, sent, answerNext, inFlight } = manualSend();
    const settled: string[] = [];
    const busy: boolean[] = [];
    const loader = latestOnly(
      send,
      (a) => settled.push(a),
      (b) => busy.push(b),
    );

    loader.ask("a");
    loader.ask("b");
    loader.ask("c");
    expect(sent).toEqual(["a"]);
    expect(inFlight()).toBe(1);

    await answerNext();
    // "a" was answered after "c" was asked: dropped, and "b" was never sent.
    expect(sent).toEqual(["a", "c"]);
    expect(settled).toEqual([]);

    await answerNext();
    expect(settled).toEqual(["answer to c"]);
    expect(busy).toEqual([true, false]);
  });

  it("asks again for the last ask, once, after the request in flight (which may have read older content)", async () => {
    const { send, sent, answerNext } = manualSend();
    const settled: string[] = [];
    const loader = latestOnly(send, (a) => settled.push(a));

    loader.again();
    expect(sent).toEqual([]); // Nothing asked yet: nothing to ask again.

    loader.ask("lead 1");
    loader.again();
    loader.again();
    await answerNext();
    expect(sent).toEqual(["lead 1", "lead 1"]);
    await answerNext();
    expect(settled).toEqual(["answer to lead 1"]);

    // A new ask while the repeat is in flight supersedes it.
    loader.again();
    loader.ask("lead 2");
    loader.again();
    await answerNext();
    expect(sent).toEqual(["lead 1", "lead 1", "lead 1", "lead 2"]);
    await answerNext();
    expect(settled).toEqual(["answer to lead 1", "answer to lead 2"]);
  });
});
