import { describe, expect, it } from "vitest";
import { checkCampaignContent, type ContentForChecks } from "./content-checks";

const identity = { fromName: "Zoë", fromEmail: "zoe@acme.test", postalAddress: "1 Main St, Springfield", archived: false };
const variant = (over: Partial<ContentForChecks["steps"][number]["variants"][number]> = {}) => ({
  label: "A",
  weight: 100,
  subject: "Quick question",
  body: 'Hi {{ first_name | default: "there" }},\nwould {{ company }} like a demo?',
  ...over,
});
const good: ContentForChecks = { hasAudience: true, identities: [identity], steps: [{ position: 1, variants: [variant()] }] };
const codes = (c: ContentForChecks) => checkCampaignContent(c).blocking.map((b) => b.code);

describe("checkCampaignContent", () => {
  it("passes a complete campaign, naming the variables without a fallback and where", () => {
    const checks = checkCampaignContent(good);
    expect(checks.blocking).toEqual([]);
    expect(checks.warnings).toEqual([]);
    expect(checks.unguarded).toEqual([{ name: "company", where: ["Step 1 · body"] }]);
  });

  it("blocks a campaign without steps, audience or identity, saying what to do", () => {
    const checks = checkCampaignContent({ hasAudience: false, identities: [], steps: [] });
    expect(checks.blocking.map((b) => b.code)).toEqual(["no_steps", "no_audience", "no_identity"]);
    expect(checks.blocking[0]?.message).toMatch(/Add at least one step/);
    expect(checks.blocking[1]?.message).toMatch(/Choose who receives it/);
    expect(checks.blocking[2]?.message).toMatch(/Choose at least one sending identity/);
  });

  it("blocks an identity without a postal address, or archived", () => {
    expect(codes({ ...good, identities: [{ ...identity, postalAddress: "  " }] })).toEqual(["missing_postal_address"]);
    expect(checkCampaignContent({ ...good, identities: [{ ...identity, postalAddress: null }] }).blocking[0]?.message).toMatch(
      /Zoë <zoe@acme.test> has no postal address.*Settings → Sending/,
    );
    expect(codes({ ...good, identities: [{ ...identity, archived: true }] })).toEqual(["identity_archived"]);
  });

  it("blocks an A/B split whose weights do not add up to 100", () => {
    const split = [variant({ weight: 60 }), variant({ label: "B", weight: 30 })];
    const checks = checkCampaignContent({ ...good, steps: [{ position: 1, variants: split }] });
    expect(checks.blocking).toEqual([
      expect.objectContaining({ code: "weights", where: "Step 1", message: expect.stringMatching(/90 %.*100 %/) }),
    ]);
    expect(codes({ ...good, steps: [{ position: 1, variants: [variant({ weight: 50 }), variant({ label: "B", weight: 50 })] }] })).toEqual(
      [],
    );
  });

  it("blocks an empty subject or body", () => {
    const checks = checkCampaignContent({ ...good, steps: [{ position: 2, variants: [variant({ subject: " ", body: "" })] }] });
    expect(checks.blocking).toEqual([
      expect.objectContaining({ code: "empty_subject", where: "Step 2 · subject", message: "Step 2 has no subject: write one." }),
      expect.objectContaining({ code: "empty_body", where: "Step 2 · body", message: "Step 2 has no body: write one." }),
    ]);
  });

  it("blocks template errors and unknown variables at their step, variant, line and column", () => {
    const split = [
      variant({ weight: 50 }),
      variant({ label: "B", weight: 50, body: "Hello\n{{ frist_name }}", subject: "Hi {{ first_name" }),
    ];
    const checks = checkCampaignContent({ ...good, steps: [{ position: 1, variants: split }] });
    expect(checks.blocking).toEqual([
      expect.objectContaining({ code: "template_error", where: "Step 1 · variant B · subject · line 1, column 4" }),
      expect.objectContaining({
        code: "unknown_variable",
        where: "Step 1 · variant B · body · line 2, column 4",
        message: expect.stringMatching(/Unknown variable "frist_name"/),
      }),
    ]);
  });

  it("warns about shouting subjects and lists each body's links", () => {
    const checks = checkCampaignContent({
      ...good,
      steps: [{ position: 1, variants: [variant({ subject: "FREE DEMO TODAY!!!", body: "Book at https://acme.test/book." })] }],
    });
    expect(checks.blocking).toEqual([]);
    expect(checks.warnings.map((w) => [w.code, w.where])).toEqual([
      ["spam_subject", "Step 1 · subject"],
      ["spam_subject", "Step 1 · subject"],
    ]);
    expect(checks.warnings[0]?.message).toMatch(/capitals/);
    expect(checks.warnings[1]?.message).toMatch(/3 exclamation marks/);
    expect(checks.links).toEqual([{ where: "Step 1", urls: ["https://acme.test/book"] }]);
  });
});
