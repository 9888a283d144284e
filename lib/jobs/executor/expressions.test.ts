import { describe, expect, it } from "vitest";
import { containmentFor, evaluate, matchToExpression, neverMatches, parseExpression, parseKeyExpression } from "./expressions";

const trigger = { name: "lead/email.sent", data: { leadId: "l-1", campaign: { id: "c-1" }, attempt: 2 } };

describe("expressions", () => {
  it("turns a wait's condition into what the awaited event's data must contain", () => {
    const expression =
      "async.data.leadId == event.data.leadId && async.data.kind == 'reply' && event.data.campaign.id == async.data.campaign.id";
    expect(containmentFor(parseExpression(expression), { side: "event", event: trigger }, expression)).toEqual({
      leadId: "l-1",
      kind: "reply",
      campaign: { id: "c-1" },
    });
    const match = matchToExpression("data.leadId");
    expect(containmentFor(parseExpression(match), { side: "event", event: trigger }, match)).toEqual({ leadId: "l-1" });
  });

  it("turns a cancelOn condition into what the cancelled runs' events must contain", () => {
    const expression = "event.data.campaign.id == async.data.campaignId && event.data.attempt == 2";
    const cancel = { name: "campaign/campaign.paused", data: { campaignId: "c-1" } };
    expect(containmentFor(parseExpression(expression), { side: "async", event: cancel }, expression)).toEqual({
      campaign: { id: "c-1" },
      attempt: 2,
    });
  });

  it("says when a condition can never hold", () => {
    const expression = "event.data.leadId == 'someone-else' && async.data.x == 1";
    expect(neverMatches(containmentFor(parseExpression(expression), { side: "event", event: trigger }, expression))).toBe(true);
    const missing = "async.data.x == event.data.nothing";
    expect(neverMatches(containmentFor(parseExpression(missing), { side: "event", event: trigger }, missing))).toBe(true);
  });

  it("evaluates trigger filters", () => {
    expect(evaluate(parseExpression('event.data.attempt == 2 && event.data.leadId == "l-1"'), { event: trigger })).toBe(true);
    expect(evaluate(parseExpression("event.data.attempt == 3"), { event: trigger })).toBe(false);
    expect(evaluate(parseExpression("event.data.missing == null"), { event: trigger })).toBe(false);
  });

  it("refuses what it cannot evaluate", () => {
    expect(() => parseExpression("event.data.n > 3")).toThrow("cannot evaluate");
    expect(() => parseExpression("event.data.a == 1 || event.data.b == 2")).toThrow("cannot evaluate");
    expect(() => parseExpression("size(event.data.tags) == 2")).toThrow("cannot evaluate");
    expect(() => parseKeyExpression("event.data.a + event.data.b")).toThrow("cannot evaluate");
    expect(parseKeyExpression("event.data.workspaceId")).toEqual(["data", "workspaceId"]);
  });
});
