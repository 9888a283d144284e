import { describe, expect, it } from "vitest";
import { isCrossSite } from "./cross-site";

const from = (headers: Record<string, string>) => isCrossSite(new Headers(headers));

describe("telling a request from another site", () => {
  it("lets a request whose Origin names the host it was sent to through, behind a proxy too", () => {
    expect(from({ origin: "http://localhost:3000", host: "localhost:3000" })).toBe(false);
    expect(from({ origin: "https://leads.example.com", host: "10.0.0.5:3000", "x-forwarded-host": "leads.example.com" })).toBe(false);
    expect(from({ origin: "https://LEADS.example.com", host: "leads.example.com" })).toBe(false);
  });

  it("refuses another site, another port of this host, a null or malformed Origin", () => {
    expect(from({ origin: "https://evil.example", host: "localhost:3000" })).toBe(true);
    expect(from({ origin: "http://localhost:4000", host: "localhost:3000" })).toBe(true);
    expect(from({ origin: "null", host: "localhost:3000" })).toBe(true);
    expect(from({ origin: "not a url", host: "localhost:3000" })).toBe(true);
    expect(from({ origin: "https://leads.example.com", host: "leads.example.com", "x-forwarded-host": "other.example" })).toBe(true);
  });

  it("lets a request without Origin through unless the browser says it came from another site", () => {
    expect(from({ host: "localhost:3000" })).toBe(false);
    expect(from({ host: "localhost:3000", "sec-fetch-site": "same-origin" })).toBe(false);
    expect(from({ host: "localhost:3000", "sec-fetch-site": "cross-site" })).toBe(true);
  });
});
