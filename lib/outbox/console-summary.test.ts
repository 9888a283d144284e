import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createOutboxConsoleSummary } from "./console-summary";

describe("the outbox's lines in the terminal", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("prints one email in a line, and a burst as one count a minute, saying where to read them", () => {
    const lines: string[] = [];
    const note = createOutboxConsoleSummary({ where: "Settings → Outbox", log: (line) => lines.push(line) });

    note(["ana@example.test"], "Quick idea");
    expect(lines).toEqual(["[outbox] to ana@example.test: Quick idea (read it in Settings → Outbox)"]);

    for (let i = 0; i < 250; i++) note([`lead-${i}@example.test`], "Quick idea");
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(60_000);
    expect(lines.at(-1)).toBe("[outbox] 250 more emails in the last minute (read them in Settings → Outbox)");

    // A quiet minute: nothing to count; the next email has its own line again.
    vi.advanceTimersByTime(120_000);
    expect(lines).toHaveLength(2);
    note(["bo@example.test"], "Re: quick idea");
    expect(lines.at(-1)).toBe("[outbox] to bo@example.test: Re: quick idea (read it in Settings → Outbox)");
  });
});
