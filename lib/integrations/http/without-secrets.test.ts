import { describe, expect, it } from "vitest";
import { withoutSecrets } from "./without-secrets";

describe("withoutSecrets", () => {
  it("removes an agent's argument and any cookie, token or key, keeping the rest as received", () => {
    const agent = {
      id: "1001",
      name: "Sales Navigator Search Export",
      argument: '{"sessionCookie":"AQEDAR…","searches":"https://www.linkedin.com/sales/search"}',
      nested: [{ li_at_cookie: "AQED", apiKey: "k", keep: { title: "VP Sales" } }],
      "access-token": "t",
    };
    expect(withoutSecrets(agent)).toEqual({
      id: "1001",
      name: "Sales Navigator Search Export",
      argument: "[removed]",
      nested: [{ li_at_cookie: "[removed]", apiKey: "[removed]", keep: { title: "VP Sales" } }],
      "access-token": "[removed]",
    });
  });

  it("keeps plain values and arrays of them", () => {
    expect(withoutSecrets([1, "a", null, true])).toEqual([1, "a", null, true]);
    expect(withoutSecrets("text")).toBe("text");
  });
});
