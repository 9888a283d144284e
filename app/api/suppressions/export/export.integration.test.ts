import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { auditLog } from "@/db/schema";
import { addSuppression } from "@/lib/suppressions/add-suppression";
import { parseSuppressionList } from "@/lib/suppressions/parse-suppression-list";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { sessionOf } from "@/tests/fixtures/sessions";
import { suppressionExportResponse } from "./export-response";

let fx: TenancyFixture;

beforeAll(async () => {
  fx = await createTenancyFixture();
  await addSuppression(serviceDb(), { workspaceId: fx.a.id, kind: "email", value: "-dash@example.com", reason: "unsubscribe" });
  await addSuppression(serviceDb(), {
    workspaceId: fx.a.id,
    kind: "domain",
    value: "blocked.example",
    reason: "manual",
    note: "=SUM(A1:A9)",
  });
  await addSuppression(serviceDb(), { workspaceId: fx.b.id, kind: "email", value: "globex-only@example.com", reason: "bounce" });
});
afterAll(async () => {
  await removeTenancyFixture(fx);
});

describe("the suppression list's CSV", () => {
  it("is the workspace's list only, every formula-looking cell neutralised, audited, and uploads again as it is", async () => {
    const response = await suppressionExportResponse(await sessionOf(fx.a.members.analyst, fx.a.id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="(suppressions-acme-outbound-[\w-]+-\d{4}-\d{2}-\d{2}\.csv)"; filename\*=UTF-8''\1$/,
    );
    expect(response.headers.get("x-row-count")).toBe("2");
    const text = (await response.text()).replace(/^\uFEFF/, "");
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("Value,Kind,Reason,Note,Added at");
    expect(lines[1]).toMatch(/^blocked\.example,domain,manual,'=SUM\(A1:A9\),/);
    expect(lines[2]).toMatch(/^'-dash@example\.com,email,unsubscribe,,/);
    expect(text).not.toContain("globex-only");
    // The file a person downloads reads back as the same entries.
    const again = parseSuppressionList(text).map((r) => (r.outcome === "valid" ? r.entry : r));
    expect(again).toEqual([
      { kind: "domain", value: "blocked.example" },
      { kind: "email", value: "-dash@example.com" },
    ]);
    const audits = await serviceDb()
      .select({ metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, fx.a.id), eq(auditLog.action, "suppression.exported")));
    expect(audits).toEqual([{ metadata: { rows: 2 } }]);
  });

  it("is refused in words without a session or to a role that cannot export", async () => {
    const none = await suppressionExportResponse(null);
    expect(none.status).toBe(401);
    expect(await none.text()).toBe("Your session has ended. Log in again to export.");
    const viewer = await suppressionExportResponse(await sessionOf(fx.a.members.viewer, fx.a.id));
    expect(viewer.status).toBe(403);
    expect(await viewer.text()).toBe("Your role cannot export the suppression list. Ask an admin for the analyst role or above.");
  });
});
