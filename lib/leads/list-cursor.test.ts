import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, type LeadCursor } from "./list-cursor";

const id = "6b1d7c5e-4f58-4f7e-9e0a-2d9b7c1f0a11";

describe("lead list cursor", () => {
  it("round-trips every kind of sort key", () => {
    const cursors: LeadCursor[] = [
      { sort: "created", dir: "desc", value: "2026-11-29 22:33:46.123456+00", id },
      { sort: "lastActivity", dir: "asc", value: "-infinity", id },
      { sort: "name", dir: "asc", value: "zoë ångström", id },
      { sort: "score", dir: "desc", value: 0, id },
      { sort: "status", dir: "asc", value: 5, id },
      { sort: "owner", dir: "asc", value: null, id },
      { sort: "tags", dir: "desc", value: "50%_off", id },
    ];
    for (const cursor of cursors) {
      expect(decodeCursor(encodeCursor(cursor), { sort: cursor.sort, dir: cursor.dir })).toEqual(cursor);
    }
  });

  it("refuses a cursor written for another sort or direction", () => {
    const raw = encodeCursor({ sort: "score", dir: "asc", value: 10, id });
    expect(decodeCursor(raw, { sort: "score", dir: "desc" })).toBeNull();
    expect(decodeCursor(raw, { sort: "created", dir: "asc" })).toBeNull();
  });

  it("refuses a text sort's cursor written before its key was unaccented (migration 0128), and keeps other sorts' cursors", () => {
    // What this app wrote before: no key version.
    const before = (sort: string, value: unknown) =>
      Buffer.from(JSON.stringify({ s: sort, d: "asc", k: value, i: id })).toString("base64url");
    for (const sort of ["name", "title", "company", "tags", "icebreaker"] as const) {
      expect(decodeCursor(before(sort, "émile zola"), { sort, dir: "asc" }), sort).toBeNull();
      const now = encodeCursor({ sort, dir: "asc", value: "emile zola", id });
      expect(decodeCursor(now, { sort, dir: "asc" }), sort).toEqual({ sort, dir: "asc", value: "emile zola", id });
    }
    expect(decodeCursor(before("email", "emile@zola.example"), { sort: "email", dir: "asc" })).not.toBeNull();
    expect(decodeCursor(before("score", 40), { sort: "score", dir: "asc" })).not.toBeNull();
  });

  it("refuses garbage and values of the wrong type for the sort", () => {
    const forged = (value: unknown, sort = "created", version?: number) =>
      Buffer.from(JSON.stringify({ s: sort, d: "desc", k: value, i: id, v: version })).toString("base64url");
    expect(decodeCursor("not base64 !", { sort: "created", dir: "desc" })).toBeNull();
    expect(decodeCursor(Buffer.from("[1,2]").toString("base64url"), { sort: "created", dir: "desc" })).toBeNull();
    expect(decodeCursor(forged("yesterday'); drop table leads; --"), { sort: "created", dir: "desc" })).toBeNull();
    expect(decodeCursor(forged("2026-13-45 99:99:99+00"), { sort: "created", dir: "desc" })).toBeNull();
    expect(decodeCursor(forged(101, "score"), { sort: "score", dir: "desc" })).toBeNull();
    expect(decodeCursor(forged("won", "status"), { sort: "status", dir: "desc" })).toBeNull();
    expect(decodeCursor(forged(9, "status"), { sort: "status", dir: "desc" })).toBeNull();
    expect(decodeCursor(forged("someone", "owner"), { sort: "owner", dir: "desc" })).toBeNull();
    expect(decodeCursor(forged(["vip"], "tags", 2), { sort: "tags", dir: "desc" })).toBeNull();
    const badId = Buffer.from(JSON.stringify({ s: "score", d: "desc", k: 1, i: "1 or 1=1" })).toString("base64url");
    expect(decodeCursor(badId, { sort: "score", dir: "desc" })).toBeNull();
  });
});
