import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { CampaignProgress } from "@/lib/campaigns/stats/campaign-progress";
import { judgeBreaker } from "@/lib/sending/breaker/judge-breaker";
import { CampaignProgressPanel } from "./campaign-progress-panel";

const progress = (pause: CampaignProgress["pause"]): CampaignProgress => ({
  enrollments: { active: 3, completed: 1, stopped: 0, skipped: 0, total: 4 },
  messages: { sent: 5, failed: 0, skipped: 0, queued: 1 },
  nextSendAt: null,
  lastSentAt: null,
  mailboxes: [],
  pause,
});

/** The pause banner's words, as a reader gets them (tags and React's text separators dropped). */
const banner = (pause: CampaignProgress["pause"]) => {
  const html = renderToStaticMarkup(createElement(CampaignProgressPanel, { status: "paused", progress: progress(pause) }));
  const p = /<p role="status"[^>]*>(.*?)<\/p>/s.exec(html)?.[1] ?? "";
  return p.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "");
};

describe("CampaignProgressPanel's pause banner", () => {
  it("ends an admin's reason that has its own full stop with one full stop, not two", () => {
    const text = banner({ reason: "Check the list with Prairie Consulting first.", at: null, bySystem: false });
    expect(text).toBe("Paused: Check the list with Prairie Consulting first. No email goes out until an admin resumes it.");
  });

  it("closes a reason without punctuation with a full stop", () => {
    expect(banner({ reason: "Waiting for Legal", at: null, bySystem: false })).toBe(
      "Paused: Waiting for Legal. No email goes out until an admin resumes it.",
    );
  });

  it("reads without a reason", () => {
    expect(banner({ reason: null, at: null, bySystem: false })).toBe("Paused. No email goes out until an admin resumes it.");
  });

  it("says 'automatically' once for the bounce breaker's reason", () => {
    const verdict = judgeBreaker(
      { sends: 100, hardBounces: 3, complaints: 0 },
      { bounceRateThreshold: 0.02, complaintRateThreshold: 0.001, breakerMinSends: 100 },
    );
    if (!verdict.trip) throw new Error("expected the breaker to trip");
    const text = banner({ reason: verdict.reason, at: null, bySystem: true });
    expect(text).toMatch(/^Paused automatically: 3 of its last 100 emails hard-bounced .*before resuming\. No email goes out/);
    expect(text.match(/automatically/g)).toHaveLength(1);
    expect(text).not.toContain("..");
  });
});
