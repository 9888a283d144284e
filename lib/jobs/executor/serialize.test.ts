import { describe, expect, it } from "vitest";
import { storeValue, toJobError, UnstorableValueError } from "./serialize";
import { retryDelayMs } from "./backoff";

describe("storing step results", () => {
  it("stores JSON and hands back what a replay would see", () => {
    expect(storeValue(undefined, "x")).toEqual({ json: "null", value: null });
    const at = new Date("2026-11-20T10:00:00Z");
    expect(storeValue({ at }, "x").value).toEqual({ at: "2026-11-20T10:00:00.000Z" });
  });

  it("refuses what JSON or PostgreSQL cannot hold, and what is too big", () => {
    expect(() => storeValue(1n, 'The step "s"')).toThrow(UnstorableValueError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => storeValue(cyclic, 'The step "s"')).toThrow('The step "s" returned a value that cannot be stored as JSON');
    expect(() => storeValue("a\u0000b", "x")).toThrow("NUL character");
    expect(() => storeValue("x".repeat(2048), 'The step "s"', 1024)).toThrow("returned 3 KB of data; the limit is 1 KB");
  });

  it("describes anything thrown as a small JSON-safe error", () => {
    expect(toJobError(new TypeError("bad"))).toMatchObject({ name: "TypeError", message: "bad" });
    expect(toJobError(42n)).toEqual({ name: "NonErrorThrown", message: "A non-Error value was thrown: 42" });
    expect(toJobError({ name: "HttpError", message: "429" })).toEqual({ name: "HttpError", message: "429" });
    const cause = toJobError(new Error("outer", { cause: new Error("inner") }));
    expect(cause.cause).toMatchObject({ message: "inner" });
    expect(() => JSON.stringify(toJobError(Object.assign(new Error("x"), { cause: 1n })))).not.toThrow();
  });
});

describe("back-off", () => {
  it("doubles per attempt within ±20 %, up to the cap", () => {
    const policy = { baseMs: 1000, maxMs: 10_000 };
    expect(retryDelayMs(0, policy, () => 0.5)).toBe(1000);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(8000);
    expect(retryDelayMs(10, policy, () => 1)).toBe(12_000);
    expect(retryDelayMs(1, policy, () => 0)).toBe(1600);
  });
});
