import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL_PRICES } from "../pricing";
import { countPromptTokens } from "../tokens";
import {
  estimateLeadInsights,
  LEAD_INSIGHT_SCHEMA,
  leadInsightMessages,
  ZLeadInsight,
  type InsightLead,
  type InsightProfile,
} from "./lead-insight";

const profile: InsightProfile = {
  icpDescription: "B2B fintech companies in Germany, 50–500 people",
  targetTitles: ["Head of Sales"],
  targetSeniorities: [],
  targetIndustries: ["Financial Services"],
  companySizes: [],
  countries: ["Germany"],
  icebreakerTone: "friendly",
  icebreakerLanguage: "English",
};
const lead = (i: number): InsightLead => ({
  firstName: ["Zoë", "Łukasz", "José"][i % 3]!,
  lastName: "Müller",
  title: i % 2 ? "Head of Sales" : "Office Manager",
  seniority: null,
  department: null,
  city: "Berlin",
  country: "Germany",
  companyName: `Fintech ${i}`,
  companyDomain: `fintech-${i}.example`,
  companyIndustry: "Financial Services",
  companyEmployees: 40 + i,
  companyDescription: i % 2 ? "Payments software." : null,
  ...(i === 2 ? { companyHomepageText: "Close the books in days, not weeks." } : {}),
});

describe("estimateLeadInsights", () => {
  it("counts exactly the tokens of each lead's request, the shared instructions counted once", () => {
    const leads = [0, 1, 2, 3].map(lead);
    const naive = leads.reduce((sum, l) => sum + countPromptTokens(leadInsightMessages(profile, l), "gpt-4o-mini", LEAD_INSIGHT_SCHEMA), 0);
    const estimate = estimateLeadInsights(leads, profile, "gpt-4o-mini", DEFAULT_MODEL_PRICES);
    expect(estimate.promptTokens).toBe(naive);
    expect(estimate).toMatchObject({ leads: 4, completionTokens: 440 });
    expect(estimate.costUsd).toBeCloseTo((naive * 0.15 + 440 * 0.6) / 1_000_000, 10);
  });

  it("costs nothing for no lead", () => {
    expect(estimateLeadInsights([], profile, "gpt-4o-mini", DEFAULT_MODEL_PRICES)).toEqual({
      leads: 0,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0,
    });
  });
});

describe("ZLeadInsight", () => {
  const answer = (icebreaker: string) => ({ icebreaker, companySummary: "Payments software.", fitScore: 72, fitReasons: ["Fintech"] });

  it("refuses a first line with a link or a web address, which the email's text part would make clickable", () => {
    for (const icebreaker of [
      "Loved your post at https://evil.example/offer.",
      "Saw www.fintech-0.example and thought of you.",
      "Check out offer.com/deal before Friday.",
      "Your team at Fintech.io is growing fast.",
      // Any top-level domain, a path or none, an address, a domain in any script.
      "Claim your audit at acme-audit.de/claim before Friday.",
      "Grab it at fintech-offer.shop/q3",
      "slides at bit.do/xyz",
      "Write to me at sales@evil.ru",
      "Visit Bücher.de for the full story.",
      // Written so that the pattern would not see the address a reader sees.
      "Our offer is at пример.xn--p1ai today.",
      "Visit offer．com for the deal.",
      "Visit offer。com for the deal.",
      "Visit ｏｆｆｅｒ.ｃｏｍ for the deal.",
      "Visit offer\u200b.com for the deal.",
      "Visit offer.\u2060com for the deal.",
      "Open ｈｔｔｐｓ://deal for more.",
    ]) {
      const parsed = ZLeadInsight.safeParse(answer(icebreaker));
      expect(parsed.success, icebreaker).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe("Write the first line without any link, URL or web address.");
    }
  });

  it("takes an ordinary first line, accents, numbers and dots included", () => {
    for (const icebreaker of [
      "Zoë, congrats on closing the Series B — 3.5x growth in a year.",
      "Saw Fintech 3's move into Łódź. Nice.",
      "Congrats on the v2.3 release, e.g. the new ledger.",
      "Your @fintech posts on pricing were sharp.",
    ]) {
      expect(ZLeadInsight.safeParse(answer(icebreaker)).success, icebreaker).toBe(true);
    }
  });
});
