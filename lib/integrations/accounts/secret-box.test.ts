import { describe, expect, it } from "vitest";
import { integrationSecretKey, openSecret, sealSecret, SecretUnreadableError } from "./secret-box";

const key = integrationSecretKey(Buffer.alloc(32, 7).toString("base64"));
const otherKey = integrationSecretKey(Buffer.alloc(32, 9).toString("base64"));
const context = { workspaceId: "6f1c2c4e-8f2b-4d7e-9a51-0c3e2b1d4a77", vendor: "apollo" };
const apiKey = "apollo-key-Zx9_secret-7f3a";

describe("secret box", () => {
  it("round-trips a key and never writes it, or its base64, in the sealed form", () => {
    const sealed = sealSecret(apiKey, context, key);
    expect(sealed.keyId).toBe(key.id);
    expect(sealed.ciphertext).not.toContain(apiKey);
    expect(sealed.ciphertext).not.toContain(Buffer.from(apiKey).toString("base64").slice(0, 12));
    expect(openSecret(sealed, context, [key])).toBe(apiKey);
  });

  it("uses a fresh IV each time: the same key seals differently", () => {
    expect(sealSecret(apiKey, context, key).ciphertext).not.toBe(sealSecret(apiKey, context, key).ciphertext);
  });

  it("refuses a ciphertext moved to another workspace or vendor", () => {
    const sealed = sealSecret(apiKey, context, key);
    expect(() => openSecret(sealed, { ...context, workspaceId: "00000000-0000-4000-8000-000000000000" }, [key])).toThrow(
      SecretUnreadableError,
    );
    expect(() => openSecret(sealed, { ...context, vendor: "instantly" }, [key])).toThrow(/does not belong to this workspace/);
  });

  it("refuses a tampered ciphertext", () => {
    const sealed = sealSecret(apiKey, context, key);
    const bytes = Buffer.from(sealed.ciphertext, "base64");
    bytes[bytes.length - 1]! ^= 1;
    expect(() => openSecret({ ...sealed, ciphertext: bytes.toString("base64") }, context, [key])).toThrow(SecretUnreadableError);
  });

  it("says so when the row was sealed under another ENCRYPTION_KEY, and reads it with that key in the ring", () => {
    const sealed = sealSecret(apiKey, context, otherKey);
    expect(() => openSecret(sealed, context, [key])).toThrow(/encrypted with another ENCRYPTION_KEY/);
    expect(openSecret(sealed, context, [key, otherKey])).toBe(apiKey);
    expect(key.id).not.toBe(otherKey.id);
  });
});
