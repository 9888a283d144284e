import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signUnsubscribeToken, unsubscribeKey, unsubscribeUrl, verifyUnsubscribeToken } from "./unsubscribe-token";

const key = unsubscribeKey(randomBytes(32).toString("base64"));
const subject = { workspaceId: randomUUID(), leadId: randomUUID(), campaignId: randomUUID() };

describe("unsubscribe tokens", () => {
  it("round-trips the workspace, lead and campaign", () => {
    const token = signUnsubscribeToken(subject, key);
    expect(token).toMatch(/^u1\.[A-Za-z0-9_-]{64}\.[A-Za-z0-9_-]{22}$/);
    expect(verifyUnsubscribeToken(token, key)).toEqual(subject);
  });

  it("refuses a token signed with another key", () => {
    const other = unsubscribeKey(randomBytes(32).toString("base64"));
    expect(verifyUnsubscribeToken(signUnsubscribeToken(subject, other), key)).toBeNull();
  });

  it("refuses a token pointed at another lead with the old signature", () => {
    const [version, , signature] = signUnsubscribeToken(subject, key).split(".");
    const forged = signUnsubscribeToken({ ...subject, leadId: randomUUID() }, key).split(".")[1];
    expect(verifyUnsubscribeToken(`${version}.${forged}.${signature}`, key)).toBeNull();
  });

  it("refuses altered, truncated, padded and oversized tokens", () => {
    const token = signUnsubscribeToken(subject, key);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    for (const bad of [
      flip(token, token.length - 1),
      flip(token, 5),
      token.slice(0, -1),
      `${token}=`,
      `${token}.x`,
      token.replace(/^u1/, "u2"),
      "",
      "u1..",
      `u1.${"A".repeat(300)}.x`,
    ]) {
      expect(verifyUnsubscribeToken(bad, key), bad).toBeNull();
    }
  });

  it("makes an absolute link on the app's origin", () => {
    expect(unsubscribeUrl("u1.abc.def", "https://lip.example.com/")).toBe("https://lip.example.com/unsubscribe/u1.abc.def");
  });
});
