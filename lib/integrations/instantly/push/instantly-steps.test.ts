import { describe, expect, it } from "vitest";
import type { CampaignContent } from "@/lib/campaigns/content-hash";
import { copyVariable, instantlyCampaignName, instantlySteps } from "./push-campaign";

const step = (position: number, delayDays: number, delayHours: number, labels: string[]): CampaignContent["steps"][number] => ({
  id: `s${position}`,
  position,
  delayDays,
  delayHours,
  businessDays: false,
  variants: labels.map((label) => ({ label, weight: 1, subject: "s", body: "b" })),
});

describe("instantlySteps", () => {
  it("puts each step's wait on the step before it (Instantly's delay is the wait before the next step), in hours when ours has hours", () => {
    const content = { steps: [step(2, 3, 0, ["A"]), step(1, 0, 0, ["A", "B"]), step(3, 1, 6, ["A"])] } as CampaignContent;
    expect(instantlySteps(content)).toEqual([
      {
        type: "email",
        delay: 3,
        delay_unit: "days",
        variants: [
          { subject: "{{lip_s1_a_subject}}", body: "{{lip_s1_a_body}}" },
          { subject: "{{lip_s1_b_subject}}", body: "{{lip_s1_b_body}}" },
        ],
      },
      { type: "email", delay: 30, delay_unit: "hours", variants: [{ subject: "{{lip_s2_a_subject}}", body: "{{lip_s2_a_body}}" }] },
      { type: "email", delay: 0, delay_unit: "days", variants: [{ subject: "{{lip_s3_a_subject}}", body: "{{lip_s3_a_body}}" }] },
    ]);
  });

  it("names variables and the Instantly campaign predictably", () => {
    expect(copyVariable(2, "B", "body")).toBe("lip_s2_b_body");
    expect(instantlyCampaignName("Q4", "0123456789abcdef")).toBe("Q4 [LIP 01234567]");
  });
});
