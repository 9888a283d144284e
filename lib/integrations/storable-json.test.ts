import { describe, expect, it } from "vitest";
import { storableJson } from "./storable-json";

describe("storableJson", () => {
  it("drops NUL characters from every string and key, at any depth, and keeps everything else", () => {
    const vendor = JSON.parse('{"name":"Ac\\u0000me","tags":["a\\u0000",1,null,true],"k\\u0000ey":{"deep":"\\\\u0000 stays"}}');
    expect(storableJson(vendor)).toEqual({ name: "Acme", tags: ["a", 1, null, true], key: { deep: "\\u0000 stays" } });
    expect(storableJson("plain")).toBe("plain");
  });

  it("replaces half of a surrogate pair with U+FFFD, in values and keys, and keeps whole pairs (emoji)", () => {
    const vendor = JSON.parse('{"subject":"Re: hi \\ud83d","k\\udc00":"Zoë 👋🏽","list":["\\udbff!"]}');
    expect(storableJson(vendor)).toEqual({ subject: "Re: hi \uFFFD", "k\uFFFD": "Zoë 👋🏽", list: ["\uFFFD!"] });
  });
});
