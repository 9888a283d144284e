import { describe, expect, it, vi } from "vitest";
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS, parseTtlSeconds } from "./config";

describe("parseTtlSeconds", () => {
  it("defaults to an hour when unset", () => {
    expect(parseTtlSeconds(undefined)).toBe(DEFAULT_ACCESS_TOKEN_TTL_SECONDS);
    expect(parseTtlSeconds(" ")).toBe(3600);
  });

  it("takes a whole number of seconds", () => {
    expect(parseTtlSeconds("5")).toBe(5);
    expect(parseTtlSeconds("86400")).toBe(86400);
  });

  it("warns and falls back on anything else", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const bad of ["0", "-5", "1.5", "1h", "99999999"]) expect(parseTtlSeconds(bad)).toBe(3600);
    expect(warn).toHaveBeenCalledTimes(5);
    warn.mockRestore();
  });
});
