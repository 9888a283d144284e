import { describe, expect, it } from "vitest";
import { candidateDomains } from "./company-links";

describe("candidateDomains", () => {
  it("reads a business domain from any cell, an address's or a web address's, each once, never a free-mail one", () => {
    const rows = [
      { fields: ["Zoë", "zoe@Fjall.example", "https://www.fjall.example/about", "Fjäll AB"] },
      { fields: ["Bo", "bo@gmail.com", "", "Comma, Inc."] },
      { fields: ["Cy", "", "sato.example", "not a domain"] },
    ];
    expect(candidateDomains(rows).sort()).toEqual(["fjall.example", "sato.example"]);
  });
});
