import { describe, expect, it } from "vitest";
import { bareAddress, referencedMessageIds, taggedMessageId } from "./match-headers";

describe("referencedMessageIds", () => {
  it("puts In-Reply-To first, then References newest first, whatever the header names' case", () => {
    expect(
      referencedMessageIds({
        "In-Reply-To": "<b@acme.example>",
        REFERENCES: "<a@acme.example> <b@acme.example>\r\n <c@acme.example>",
      }),
    ).toEqual(["<b@acme.example>", "<c@acme.example>", "<a@acme.example>"]);
    expect(referencedMessageIds({ "in-reply-to": "<x@y>" })).toEqual(["<x@y>"]);
  });

  it("finds nothing without threading headers", () => {
    expect(referencedMessageIds(null)).toEqual([]);
    expect(referencedMessageIds({ subject: "Re: hello" })).toEqual([]);
    expect(referencedMessageIds({ "in-reply-to": "no brackets here" })).toEqual([]);
  });
});

describe("taggedMessageId", () => {
  const id = "6f1c2b9e-3d4a-4c5b-9e8f-0a1b2c3d4e5f";
  it("reads the message id after the + of a reply-to address", () => {
    expect(taggedMessageId(["someone@else.example", `Replies <replies+${id.toUpperCase()}@in.acme.example>`])).toBe(id);
    expect(taggedMessageId([`replies+${id}@in.acme.example`])).toBe(id);
  });

  it("ignores plus tags that are not message ids", () => {
    expect(taggedMessageId(["ann+newsletter@example.com", "plain@example.com"])).toBeNull();
    expect(taggedMessageId([])).toBeNull();
  });
});

describe("bareAddress", () => {
  it("takes the address out of a display form", () => {
    expect(bareAddress('"Ann Lee" <ann@example.com>')).toBe("ann@example.com");
    expect(bareAddress("ann@example.com")).toBe("ann@example.com");
  });
});
