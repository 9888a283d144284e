import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { SampleDataInFigures } from "@/lib/analytics/sample-data";
import { headlineSampleLines, SampleDataInFiguresNotice, sampleDataLines } from "./sample-data-notice";

const none: SampleDataInFigures = {
  inventedLeads: [],
  leadsWithSampleValues: 0,
  sentToSampleLeads: 0,
  repliesFromSampleLeads: 0,
  instantlySandbox: false,
};

describe("the sample-data notice above figures", () => {
  it("says how much of the figures each sandbox made, a line each", () => {
    const lines = sampleDataLines(
      {
        inventedLeads: [
          { source: "instantly", count: 19 },
          { source: "apollo", count: 1 },
        ],
        leadsWithSampleValues: 2,
        sentToSampleLeads: 1_204,
        repliesFromSampleLeads: 1,
        instantlySandbox: true,
      },
      { instantlyShown: true },
    );
    expect(lines).toEqual([
      "19 leads the Instantly sandbox invented, the senders of its sample replies",
      "1 lead the Apollo sandbox invented",
      "2 leads with values a vendor's sandbox wrote",
      "1,204 emails sent to those sample leads",
      "1 sample reply from them",
      "Instantly's daily figures, which the Instantly sandbox made up",
    ]);
  });

  it("leaves out the Instantly sandbox where Instantly's figures are not shown, and renders nothing without sample data", () => {
    expect(sampleDataLines({ ...none, instantlySandbox: true }, { instantlyShown: false })).toEqual([]);
    expect(renderToStaticMarkup(createElement(SampleDataInFiguresNotice, { sampleData: none, where: "These figures" }))).toBe("");
  });

  it("is a note with a list, its words plain text", () => {
    const html = renderToStaticMarkup(
      createElement(SampleDataInFiguresNotice, {
        sampleData: { ...none, inventedLeads: [{ source: "apollo", count: 3 }] },
        where: "The figures from 2026-06-01 to 2026-06-05",
      }),
    );
    expect(html).toContain('role="note"');
    expect(html).toContain("The figures from 2026-06-01 to 2026-06-05 include sample data from this app&#x27;s vendor sandboxes");
    expect(html).toContain("<li>3 leads the Apollo sandbox invented</li>");
  });

  it("words Home's headline: the sample leads owned, the emails to them and their replies", () => {
    expect(headlineSampleLines({ leadsOwned: 1, sent: 0, replied: 0 })).toEqual(["1 of the leads you own is a sample lead"]);
    expect(headlineSampleLines({ leadsOwned: 0, sent: 0, replied: 0 })).toEqual([]);
    expect(headlineSampleLines({ leadsOwned: 4, sent: 12, replied: 2 })).toEqual([
      "4 of the leads you own are sample leads",
      "12 emails sent to sample leads",
      "2 sample replies from them",
    ]);
  });
});
