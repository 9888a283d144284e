import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FUNNEL_STAGES, type FunnelRow, type FunnelStage } from "@/lib/campaigns/stats/funnel-stages";
import { FunnelChart } from "./funnel-chart";

const row = (stepPosition: number, variantLabel: string, counts: Partial<Record<FunnelStage, number>> = {}): FunnelRow => ({
  stepPosition,
  variantLabel,
  ...(Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) as Record<FunnelStage, number>),
  ...counts,
});

const render = (rows: FunnelRow[]) => renderToStaticMarkup(createElement(FunnelChart, { rows }));

describe("FunnelChart", () => {
  it("says no email was sent yet instead of drawing an empty chart, for a launched campaign's steps", () => {
    const html = render([row(1, "A"), row(1, "B"), row(2, "A")]);
    expect(html).toContain("No emails sent yet. The funnel fills in as the first step goes out.");
    expect(html).not.toContain('data-testid="funnel-chart"');
  });

  it("says the same for a campaign with no step rows at all", () => {
    expect(render([])).toContain("No emails sent yet.");
  });

  it("draws the chart once one email was sent, its summary naming the counts", () => {
    const html = render([row(1, "A", { sent: 3, delivered: 2, replied: 1 }), row(2, "A")]);
    expect(html).toContain('data-testid="funnel-chart"');
    expect(html).toContain("Step 1 variant A: 3 sent, 2 delivered, 0 opened, 1 replied");
    expect(html).not.toContain("No emails sent yet");
  });
});
