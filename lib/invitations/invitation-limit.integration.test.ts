import { and, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { invitations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveLocalOutbox } from "@/tests/fixtures/local-outbox";
import type { ServedHandler } from "@/tests/serve-web-handler";
import { inviteToWorkspace } from "./invite-to-workspace";

/**
 * Invitation emails count against the inviter's hourly limit, in every workspace together: each
 * is an email to someone who never asked for it, and anyone signed in may start a workspace.
 */
let server: ServedHandler;
let f: TenancyFixture;

beforeAll(async () => {
  // Before this file's first env() call, which caches it.
  server = await serveLocalOutbox();
  process.env.RATE_LIMIT_INVITATIONS_PER_HOUR = "2";
  f = await createTenancyFixture();
});
afterAll(async () => {
  delete process.env.RESEND_BASE_URL;
  delete process.env.RATE_LIMIT_INVITATIONS_PER_HOUR;
  await removeTenancyFixture(f);
  await server.close();
});

const invite = (workspace: TenancyFixture["a"], inviter: { id: string; email: string }, email: string) =>
  serviceDb().transaction((tx) =>
    inviteToWorkspace(tx, { workspace: { id: workspace.id, name: workspace.name }, inviter, email, role: "sales_rep" }),
  );

describe("invitation emails", () => {
  it("stop at the inviter's hourly limit across workspaces, creating nothing past it; another inviter goes on", async () => {
    const s = randomSuffix();
    // The same person is the admin of A; here they also invite for B, as a member who started it would.
    const inviter = f.a.members.admin;
    await invite(f.a, inviter, `ana.nunez-${s}@example.test`);
    await invite(f.b, inviter, `bruno-${s}@example.test`);
    const refused = await invite(f.a, inviter, `chloe-${s}@example.test`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("rate_limited");
    expect((refused as AppError).message).toMatch(
      /^You have sent as many invitations as allowed in an hour — try again in \d+ minutes?\.$/,
    );
    const created = await serviceDb()
      .select({ email: invitations.email })
      .from(invitations)
      .where(
        and(
          inArray(invitations.workspaceId, [f.a.id, f.b.id]),
          inArray(invitations.email, [`ana.nunez-${s}@example.test`, `bruno-${s}@example.test`, `chloe-${s}@example.test`]),
        ),
      );
    expect(created.map((r) => r.email).sort()).toEqual([`ana.nunez-${s}@example.test`, `bruno-${s}@example.test`]);
    // B's own admin is not held back by A's admin.
    await expect(invite(f.b, f.b.members.admin, `dora-${s}@example.test`)).resolves.toEqual({ email: `dora-${s}@example.test` });
  });
});
