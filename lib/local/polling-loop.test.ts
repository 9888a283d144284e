import { describe, expect, it } from "vitest";
import { startPollingLoop } from "./polling-loop";

describe("startPollingLoop", () => {
  it("runs again at once while busy, waits otherwise, reports a failing pass and goes on", async () => {
    const answers: ({ busy: boolean } | Error)[] = [{ busy: true }, { busy: true }, new Error("database away")];
    const errors: unknown[] = [];
    let passes = 0;
    const loop = startPollingLoop(
      async () => {
        const answer = answers[passes++];
        if (answer instanceof Error) throw answer;
        return answer ?? { busy: false };
      },
      // A failed pass waits like an idle one: an hour here, so only the two busy answers ran without a wait.
      { intervalMs: 3_600_000, onError: (error) => errors.push(error) },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(passes).toBe(3);
    expect(errors).toEqual([new Error("database away")]);
    await loop.stop();
    expect(passes).toBe(3);
  });

  it("stops at once while it waits, after the pass under way", async () => {
    let finishPass!: () => void;
    let passes = 0;
    const loop = startPollingLoop(
      () => {
        passes++;
        return new Promise((resolve) => (finishPass = () => resolve({ busy: false })));
      },
      { intervalMs: 3_600_000, onError: () => {} },
    );
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    finishPass();
    await stopping;
    expect(passes).toBe(1);
  });
});
