import { describe, expect, it } from "vitest";
import { messageFrameDocument } from "./message-frame";

describe("the message frame's document", () => {
  it("puts a policy that forbids every remote load before any of the message", () => {
    const doc = messageFrameDocument('<img src="https://tracker.example/p.gif"><p style="color:red">Hi</p>');
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(doc)?.[1];
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("img-src data:");
    expect(policy).not.toMatch(/https?:|\*/);
    expect(doc.indexOf("Content-Security-Policy")).toBeLessThan(doc.indexOf("tracker.example"));
  });
});
