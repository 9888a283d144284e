import { describe, expect, it } from "vitest";
import { LEAD_STATUSES, LEAD_SOURCES, EMAIL_STATUSES } from "@/db/schema/leads";
import { buildDemoWorkspace, type DemoPlan } from "./demo-leads";

const anchor = new Date("2026-11-29T00:00:00Z");
const plan: DemoPlan = {
  seed: "acme-outbound",
  workspaceId: "3f0c1d52-7d0e-4c57-9a34-2f7d1b1e0a01",
  anchor,
  companyCount: 300,
  leadCount: 2000,
  owners: [
    ["11111111-1111-4111-8111-111111111111", 35],
    ["22222222-2222-4222-8222-222222222222", 20],
    [null, 35],
  ],
  adminId: "33333333-3333-4333-8333-333333333333",
  assignerIds: ["33333333-3333-4333-8333-333333333333"],
  deletedShare: 0.01,
};
const data = buildDemoWorkspace(plan);

// Map.groupBy arrives with Node 21.
function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

describe("buildDemoWorkspace", () => {
  it("is deterministic: the same plan gives the same rows, ids and dates", () => {
    expect(buildDemoWorkspace(plan)).toEqual(data);
    expect(buildDemoWorkspace({ ...plan, seed: "globex" }).leads[0]!.id).not.toBe(data.leads[0]!.id);
  });

  it("makes the companies and leads asked for, with unique ids, domains, emails and LinkedIn URLs", () => {
    expect(data.companies).toHaveLength(300);
    expect(data.leads).toHaveLength(2000);
    const unique = (values: (string | null | undefined)[]) => {
      const present = values.filter((v): v is string => !!v);
      return new Set(present).size === present.length;
    };
    expect(unique(data.companies.map((c) => c.id))).toBe(true);
    expect(unique(data.companies.map((c) => c.domain))).toBe(true);
    expect(unique(data.leads.map((l) => l.id))).toBe(true);
    expect(unique(data.leads.map((l) => l.email?.toLowerCase()))).toBe(true);
    expect(unique(data.leads.map((l) => l.linkedinUrl))).toBe(true);
    expect(unique(data.activities.map((a) => a.id))).toBe(true);
  });

  it("keeps to the database's checks (which would refuse the insert otherwise)", () => {
    for (const c of data.companies) {
      if (c.domain) expect(c.domain).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/);
      expect(c.name.length).toBeGreaterThan(0);
    }
    for (const l of data.leads) {
      expect(l.email ?? l.linkedinUrl).toBeTruthy();
      if (l.email) expect(l.email).toMatch(/^[^\s@]+@[a-z0-9.-]+\.example$/);
      if (l.linkedinUrl) expect(l.linkedinUrl).toMatch(/^https:\/\/www\.linkedin\.com\/in\/[^/?#]+$/);
      expect(l.score).toBeGreaterThanOrEqual(0);
      expect(l.score).toBeLessThanOrEqual(100);
      expect(() => new Intl.DateTimeFormat("en", { timeZone: l.timeZone! })).not.toThrow();
    }
  });

  it("covers every status, source and email status, several countries, time zones and owners, and LinkedIn-only leads", () => {
    const values = <K extends keyof (typeof data.leads)[number]>(key: K) => new Set(data.leads.map((l) => l[key]));
    expect(values("status")).toEqual(new Set(LEAD_STATUSES));
    expect(values("source")).toEqual(new Set(LEAD_SOURCES));
    expect(values("emailStatus")).toEqual(new Set(EMAIL_STATUSES));
    expect(values("ownerId")).toEqual(new Set(plan.owners.map(([id]) => id)));
    expect(values("country").size).toBeGreaterThanOrEqual(10);
    expect(values("timeZone").size).toBeGreaterThanOrEqual(20);
    const linkedinOnly = data.leads.filter((l) => !l.email);
    expect(linkedinOnly.length).toBeGreaterThan(100);
    expect(linkedinOnly.every((l) => l.linkedinUrl && l.emailStatus === "unknown")).toBe(true);
    const lastNames = values("lastName");
    for (const name of ["Ångström", "Müller", "Nuñez", "Dvořák", "佐藤"]) expect(lastNames).toContain(name);
    expect(values("firstName")).toContain("Zoë");
    expect(data.leads.filter((l) => l.status === "bounced").every((l) => l.emailStatus === "invalid")).toBe(true);
  });

  it("spreads creation over months, all before the anchor, and gives every lead a timeline in order", () => {
    const created = data.leads.map((l) => l.createdAt.getTime());
    expect(Math.max(...created)).toBeLessThan(anchor.getTime());
    expect(Math.min(...created)).toBeLessThan(anchor.getTime() - 240 * 86_400_000);
    const byLead = groupBy(data.activities, (a) => a.leadId);
    for (const lead of data.leads) {
      const timeline = byLead
        .get(lead.id)!
        .slice()
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      expect(["created", "imported"]).toContain(timeline[0]!.type);
      expect(timeline[0]!.createdAt).toEqual(lead.createdAt);
      for (const a of timeline) expect(a.createdAt.getTime()).toBeLessThanOrEqual(anchor.getTime());
      const changes = timeline.filter((a) => a.type === "status_changed");
      // Each change starts where the previous ended, and the last one is where the lead is now.
      changes.forEach((change, i) => expect(change.payload!.before).toBe(i === 0 ? "new" : changes[i - 1]!.payload!.after));
      expect(changes.at(-1)?.payload?.after ?? "new").toBe(lead.status);
      expect(timeline.some((a) => a.type === "deleted")).toBe(!!lead.deletedAt);
    }
    expect(data.activities.filter((a) => a.type === "note_added").length).toBeGreaterThan(300);
  });

  it("gives a few companies many leads and most a handful", () => {
    const counts = groupBy(
      data.leads.filter((l) => l.companyId),
      (l) => l.companyId,
    );
    const sizes = [...counts.values()].map((l) => l.length).sort((a, b) => b - a);
    expect(sizes[0]).toBeGreaterThan(30);
    expect(sizes.filter((n) => n <= 5).length).toBeGreaterThan(100);
  });
});
