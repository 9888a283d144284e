import { describe, expect, it } from "vitest";
import type { CampaignContent } from "@/lib/campaigns/content-hash";
import { describeContentChanges, formatDelay } from "./describe-changes";

const zoe = {
  id: "00000000-0000-4000-8000-000000000001",
  fromName: "Zoë Martin",
  fromEmail: "zoe@acme.example",
  replyTo: null,
  signature: "Zoë",
  postalAddress: "1 Rue de la Paix, 75002 Paris",
};

function approved(): CampaignContent {
  return {
    audience: { kind: "view", viewId: "00000000-0000-4000-8000-0000000000a1", viewName: "Cafés", query: "status=new" },
    stopOnReply: true,
    plainTextOnly: false,
    identities: [zoe],
    steps: [
      {
        id: "s1",
        position: 1,
        delayDays: 0,
        delayHours: 0,
        businessDays: false,
        variants: [{ label: "A", weight: 100, subject: "Bonjour {{ first_name }}", body: "Un mot." }],
      },
      {
        id: "s2",
        position: 2,
        delayDays: 3,
        delayHours: 0,
        businessDays: true,
        variants: [
          { label: "A", weight: 50, subject: "Relance", body: "Encore moi." },
          { label: "B", weight: 50, subject: "Une idée", body: "Encore moi." },
        ],
      },
    ],
  };
}

describe("describeContentChanges", () => {
  it("says nothing when the content is the same, whatever order the audience's keys come in", () => {
    const now = approved();
    now.audience = { query: "status=new", viewName: "Cafés", viewId: "00000000-0000-4000-8000-0000000000a1", kind: "view" };
    expect(describeContentChanges(approved(), now)).toEqual([]);
  });

  it("names a subject or body change by step, and by variant where there is a split", () => {
    const now = approved();
    now.steps[0]!.variants[0]!.subject = 'Salut {{ first_name | default: "vous" }}';
    now.steps[1]!.variants[1]!.body = "Autre chose.";
    expect(describeContentChanges(approved(), now)).toEqual(["Step 1 subject changed", "Step 2 variant B body changed"]);
  });

  it("names the audience, the settings and the split", () => {
    const now = approved();
    now.audience = { kind: "filter", query: "country=FR" };
    now.stopOnReply = false;
    now.plainTextOnly = true;
    now.steps[1]!.variants[0]!.weight = 70;
    now.steps[1]!.variants[1]!.weight = 30;
    expect(describeContentChanges(approved(), now)).toEqual([
      "Audience changed",
      "Stop on reply turned off",
      "Plain text only turned on",
      "Step 2 variant A split changed from 50% to 70%",
      "Step 2 variant B split changed from 50% to 30%",
    ]);
  });

  it("names identities removed, added and changed", () => {
    const removed = approved();
    removed.identities = [];
    expect(describeContentChanges(approved(), removed)).toEqual(["Identity removed: Zoë Martin <zoe@acme.example>"]);

    const changed = approved();
    changed.identities = [{ ...zoe, signature: "Zoë M.", postalAddress: "2 Rue de Rivoli" }];
    expect(describeContentChanges(approved(), changed)).toEqual([
      "Identity Zoë Martin <zoe@acme.example>: signature and postal address changed",
    ]);

    const added = approved();
    added.identities.push({ ...zoe, id: "00000000-0000-4000-8000-000000000002", fromName: "Bruno", fromEmail: "bruno@acme.example" });
    expect(describeContentChanges(approved(), added)).toEqual(["Identity added: Bruno <bruno@acme.example>"]);
  });

  it("names steps added, removed, moved and re-timed, and variants added or removed", () => {
    const now = approved();
    const [first, second] = now.steps as [CampaignContent["steps"][number], CampaignContent["steps"][number]];
    second.position = 1;
    second.delayDays = 2;
    second.delayHours = 4;
    second.businessDays = false;
    second.variants = [second.variants[0]!, { label: "C", weight: 50, subject: "Trois", body: "Trois." }];
    now.steps = [second, { ...first, id: "s3", position: 2 }];
    expect(describeContentChanges(approved(), now)).toEqual([
      "Step 1 removed",
      "Step 1 was step 2",
      "Step 1 delay changed from 3 days to 2 days 4 hours",
      "Step 1 now counts every day",
      "Step 1 variant B removed",
      "Step 1 variant C added",
      "Step 2 added",
    ]);
  });
});

describe("formatDelay", () => {
  it("reads as words", () => {
    expect(formatDelay({ delayDays: 0, delayHours: 0 })).toBe("no delay");
    expect(formatDelay({ delayDays: 1, delayHours: 1 })).toBe("1 day 1 hour");
    expect(formatDelay({ delayDays: 0, delayHours: 5 })).toBe("5 hours");
  });
});
