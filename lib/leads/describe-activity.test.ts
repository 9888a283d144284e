import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "./lead-detail-types";
import { describeActivity } from "./describe-activity";

const ana = "00000000-0000-4000-8000-000000000001";
const bruno = "00000000-0000-4000-8000-000000000002";
const people = { [ana]: { name: "Ana Lopez" }, [bruno]: { name: "Bruno Sánchez" } };
const entry = (type: TimelineEntry["type"], payload: Record<string, unknown>, actorId: string | null = ana): TimelineEntry => ({
  id: "e",
  type,
  actorId,
  payload,
  createdAt: "2026-11-29T10:00:00.000Z",
});

describe("describeActivity", () => {
  it("says what changed, with before and after", () => {
    expect(describeActivity(entry("field_changed", { field: "title", before: "CTO", after: "CEO" }), people)).toEqual({
      actor: "Ana Lopez",
      summary: "changed Title from “CTO” to “CEO”",
    });
    expect(describeActivity(entry("field_changed", { field: "score", before: null, after: 40 }), people).summary).toBe("set Score to “40”");
    expect(describeActivity(entry("field_changed", { field: "phone", before: "+33 1", after: null }), people).summary).toBe(
      "cleared Phone (was “+33 1”)",
    );
    const moved = { field: "company", before: "Nordwind AB", after: "Müller & Söhne", beforeId: "c1", afterId: "c2" };
    expect(describeActivity(entry("field_changed", moved), people).summary).toBe("changed Company from “Nordwind AB” to “Müller & Söhne”");
  });

  it("says how the model read a reply and what that did, and who undid it", () => {
    const read = entry(
      "reply_classified",
      { classificationId: "c", category: "out_of_office", confidence: 0.96, returnDate: "2027-01-12", action: "enrollment_delayed" },
      null,
    );
    expect(describeActivity(read, people)).toEqual({
      actor: "The AI model",
      summary: "read a reply as out of office (96 % sure), back 2027-01-12: Next step put off until they are back",
    });
    // A person who read the reply themselves is named, and gives no confidence.
    const byHand = entry("reply_classified", { classificationId: "c", category: "interested", action: "lead_interested" });
    expect(describeActivity(byHand, people)).toEqual({
      actor: "Ana Lopez",
      summary: "read a reply as interested: Lead marked interested, owner notified",
    });
    // A payload of an unexpected shape still reads sensibly.
    expect(describeActivity(entry("reply_classified", { category: "won", action: "mark_all_won" }, null), people).summary).toBe(
      "read a reply as a category",
    );
    expect(describeActivity(entry("reply_action_undone", { classificationId: "c", action: "lead_interested" }), people)).toEqual({
      actor: "Ana Lopez",
      summary: "undid what a reply's reading did (lead marked interested, owner notified)",
    });
  });

  it("says the lead undid its own unsubscribe, not the system", () => {
    expect(
      describeActivity(entry("status_changed", { before: "unsubscribed", after: "contacted", via: "unsubscribe_undo" }, null), people),
    ).toEqual({
      actor: "The lead",
      summary: "undid their unsubscribe: the status is back to Contacted",
    });
  });

  it("names statuses and owners as people read them", () => {
    expect(describeActivity(entry("status_changed", { before: "new", after: "meeting" }), people).summary).toBe(
      "moved the status from New to Meeting",
    );
    expect(describeActivity(entry("owner_changed", { before: null, after: ana }), people).summary).toBe("took this lead");
    expect(describeActivity(entry("owner_changed", { before: ana, after: bruno }), people).summary).toBe(
      "assigned this lead to Bruno Sánchez (was Ana Lopez)",
    );
    expect(describeActivity(entry("owner_changed", { before: "gone", after: null }), people).summary).toBe(
      "unassigned this lead (was a former member)",
    );
  });

  it("says when a change was part of a bulk action", () => {
    expect(describeActivity(entry("status_changed", { before: "new", after: "lost", bulkOperationId: "op" }), people).summary).toBe(
      "moved the status from New to Lost in a bulk change",
    );
  });

  it("keeps a note's text as text and names unknown actors plainly", () => {
    const note = describeActivity(entry("note_added", { body: "<img src=x onerror=alert(1)>" }, "someone-who-left"), people);
    expect(note).toEqual({ actor: "A former member", summary: "added a note", body: "<img src=x onerror=alert(1)>" });
    expect(describeActivity(entry("imported", { source: "csv", file: "trade-show.csv", row: 12 }, null), people)).toEqual({
      actor: "The system",
      summary: "imported this lead from a CSV file (trade-show.csv, row 12)",
    });
    expect(describeActivity(entry("imported", { source: "apollo" }, ana), people).summary).toBe("imported this lead from Apollo");
    expect(describeActivity(entry("imported", { source: "manual", file: "API bulk upsert of 2 leads", row: 1 }, ana), people).summary).toBe(
      "imported this lead (API bulk upsert of 2 leads, row 1)",
    );
    expect(
      describeActivity(entry("imported", { source: "apollo", file: "Apollo People Search", row: 3, sandbox: true }, ana), people).summary,
    ).toBe("imported this lead from Apollo (Apollo People Search, row 3) — sandbox sample data");
  });
});
