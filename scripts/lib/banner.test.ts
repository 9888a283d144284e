import { describe, expect, it } from "vitest";
import { bannerText } from "./banner";

const services = {
  database: "embedded",
  auth: "embedded",
  email: "dev-mail-catcher",
  jobs: "local-executor",
  ai: "none",
  vendors: "sandbox",
} as const;

describe("the launcher's banner", () => {
  it("names each demo login's role as the app does, not by its database key", () => {
    const text = bannerText({
      url: "http://localhost:3000",
      services,
      demo: { seeded: true, workspaceIds: [] },
      setupOpen: false,
    });
    const rep = text.split("\n").find((line) => line.includes("rep@acme.test"));
    expect(rep).toMatch(/rep@acme\.test\s+Sales rep\s+Acme Outbound/);
    expect(text).not.toContain("sales_rep");
  });
});
