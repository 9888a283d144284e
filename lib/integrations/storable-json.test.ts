import { describe, expect, it } from "vitest";
import { withoutNul } from "./storable-json";

describe("withoutNul", () => {
  it("drops NUL characters from every string and key, at any depth, and keeps everything else", () => {
    const vendor = JSON.parse('{"name":"Ac\\u0000me","tags":["a\\u0000",1,null,true],"k\\u0000ey":{"deep":"\\\\u0000 stays"}}');
    expect(withoutNul(vendor)).toEqual({ name: "Acme", tags: ["a", 1, null, true], key: { deep: "\\u0000 stays" } });
    expect(withoutNul("plain")).toBe("plain");
  });
});
