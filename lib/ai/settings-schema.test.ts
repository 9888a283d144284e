import { describe, expect, it } from "vitest";
import { ZAiSettings } from "./settings-schema";
import { BLANK_AI_SETTINGS_FORM } from "./testing/ai-settings-form";

const sizes = (companySizes: string) => ZAiSettings.safeParse({ ...BLANK_AI_SETTINGS_FORM, companySizes });

describe("the AI settings' company sizes", () => {
  it("take ranges of employees and open ones, as people write them", () => {
    expect(sizes("51-200\n201 – 500, 1000-5000\n10000+").data?.companySizes).toEqual(["51-200", "201 – 500", "1000-5000", "10000+"]);
    expect(sizes("").data?.companySizes).toEqual([]);
  });

  it("refuse anything else, naming the item", () => {
    for (const [text, item] of [
      ["51-200\nbanana", "banana"],
      ["500-50", "500-50"],
      ["-5", "-5"],
      ["big", "big"],
      ["12", "12"],
      ["1,000-5,000", "1"],
    ]) {
      const parsed = sizes(text!);
      expect(parsed.success, text).toBe(false);
      expect(parsed.error!.issues.map((i) => i.message)[0]).toBe(
        `Write each company size as a range of employees such as 51-200, or an open one such as 1000+, with no commas in the numbers (not “${item}”).`,
      );
    }
  });
});
