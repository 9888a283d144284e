import { describe, expect, it } from "vitest";
import { isSandboxKey, mintSandboxKey } from "./sandbox-key";

const SECRET = Buffer.alloc(32, 7).toString("base64");
const OTHER = Buffer.alloc(32, 8).toString("base64");
const WORKSPACE = "6f1c2c4e-8f2b-4d7e-9a51-0c3e2b1d4a77";

describe("sandbox keys", () => {
  it("are accepted for their vendor, from this server only", () => {
    const key = mintSandboxKey("apollo", WORKSPACE, SECRET);
    expect(key).toMatch(/^sandbox_apollo_6f1c2c4e8f2b4d7e9a510c3e2b1d4a77_[A-Za-z0-9_-]{22}$/);
    expect(isSandboxKey(key, "apollo", SECRET)).toBe(true);
    expect(isSandboxKey(key, "instantly", SECRET)).toBe(false);
    expect(isSandboxKey(key, "apollo", OTHER)).toBe(false);
  });

  it("refuses forged and malformed keys", () => {
    const key = mintSandboxKey("apollo", WORKSPACE, SECRET);
    const forged = key.replace("6f1c2c4e", "7f1c2c4e");
    expect(isSandboxKey(forged, "apollo", SECRET)).toBe(false);
    expect(isSandboxKey(`${key}x`, "apollo", SECRET)).toBe(false);
    expect(isSandboxKey(null, "apollo", SECRET)).toBe(false);
    expect(isSandboxKey("sandbox_apollo", "apollo", SECRET)).toBe(false);
  });
});
