import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ReplyListItem } from "@/lib/ai/replies/list-replies";
import { RepliesTable } from "./replies-table";

const reply: ReplyListItem = {
  id: "00000000-0000-4000-8000-000000000001",
  source: "instantly",
  receivedAt: "2026-11-30T12:00:00.000Z",
  state: "classified",
  category: "interested",
  confidence: 0.9,
  subject: "Re: Quick question",
  snippet: "Sounds good, send me times.",
  leadId: "00000000-0000-4000-8000-000000000002",
  leadName: "Zoë Müller",
  leadEmail: "zoe@example.com",
  leadSource: "instantly",
  leadSampleData: null,
  campaignId: null,
  campaignName: null,
  step: null,
  action: null,
  undone: false,
  returnDate: null,
};

const render = (rows: ReplyListItem[]) =>
  renderToStaticMarkup(createElement(RepliesTable, { rows, showCampaign: true, label: "Replies", empty: { title: "None", body: "" } }));

describe("RepliesTable", () => {
  it("marks a reply from a lead that a vendor's sandbox invented as sample data, in the lead page's words", () => {
    const html = render([{ ...reply, leadSampleData: "lead" }]);
    expect(html).toContain('data-testid="lead-row-sample"');
    expect(html).toContain("This lead is sample data from the Instantly sandbox, not a real person.");
  });

  it("marks nothing on a real lead's reply", () => {
    expect(render([reply])).not.toContain("lead-row-sample");
  });
});
