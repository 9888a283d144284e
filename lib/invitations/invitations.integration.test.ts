import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withUserTx } from "@/db";
import { invitations, workspaceMembers } from "@/db/schema";
import {
  claimsFor,
  createTenancyFixture,
  createTestUser,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
} from "@/tests/fixtures/tenancy";
import { acceptInvitation } from "./accept-invitation";
import { createInvitation } from "./create-invitation";
import { findInvitationByToken } from "./find-invitation";
import { revokeInvitation } from "./revoke-invitation";
import { hashInvitationToken } from "./token";

let f: TenancyFixture;
const invite = (email: string, role: "viewer" | "sales_rep" = "sales_rep", now?: Date) =>
  withUserTx(claimsFor(f.a.members.admin.id, f.a.members.admin.email), (tx) =>
    createInvitation(tx, { workspaceId: f.a.id, actorId: f.a.members.admin.id, email, role, now }),
  );

beforeAll(async () => {
  f = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(f);
});

describe("invitations", () => {
  it("stores only a hash of the token and normalises the address", async () => {
    const email = `Ines.Garcia-${randomSuffix()}@Example.TEST`;
    const { invitation, token } = await invite(email);
    expect(invitation.email).toBe(email.toLowerCase());
    expect(invitation.tokenHash).toBe(hashInvitationToken(token));
    expect(JSON.stringify(await serviceDb().select().from(invitations).where(eq(invitations.id, invitation.id)))).not.toContain(token);
  });

  it("lets the invited person join once, with the invited role", async () => {
    const user = await createTestUser(serviceDb(), {
      email: `joiner-${randomSuffix()}@example.test`,
      fullName: "Núria Puig",
      withProfile: false,
    });
    const { token } = await invite(user.email, "viewer");
    const accepted = await acceptInvitation(serviceDb(), { token, userId: user.id, email: user.email.toUpperCase() });
    expect(accepted).toMatchObject({ workspaceId: f.a.id, role: "viewer" });
    const [member] = await serviceDb()
      .select()
      .from(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, f.a.id), eq(workspaceMembers.userId, user.id)));
    expect(member?.role).toBe("viewer");
    await expect(acceptInvitation(serviceDb(), { token, userId: user.id, email: user.email })).rejects.toMatchObject({ code: "conflict" });
    expect((await findInvitationByToken(serviceDb(), token))?.status).toBe("used");
  });

  it("refuses someone signed in with another email, and adds nobody", async () => {
    const { token } = await invite(`intended-${randomSuffix()}@example.test`);
    const other = f.b.members.viewer;
    await expect(acceptInvitation(serviceDb(), { token, userId: other.id, email: other.email })).rejects.toMatchObject({
      code: "forbidden",
    });
    const rows = await serviceDb()
      .select()
      .from(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, f.a.id), eq(workspaceMembers.userId, other.id)));
    expect(rows).toEqual([]);
    expect((await findInvitationByToken(serviceDb(), token))?.status).toBe("valid");
  });

  it("says an invitation has expired after its seven days", async () => {
    const email = `late-${randomSuffix()}@example.test`;
    const { token } = await invite(email, "sales_rep", new Date(Date.now() - 8 * 86_400_000));
    const user = await createTestUser(serviceDb(), { email, fullName: "Late Comer", withProfile: false });
    await expect(acceptInvitation(serviceDb(), { token, userId: user.id, email })).rejects.toMatchObject({
      code: "expired",
      message: expect.stringContaining("expired"),
    });
  });

  it("replaces the open invitation when the same address is invited again", async () => {
    const email = `twice-${randomSuffix()}@example.test`;
    const first = await invite(email);
    const second = await invite(email, "viewer");
    expect((await findInvitationByToken(serviceDb(), first.token))?.status).toBe("revoked");
    expect((await findInvitationByToken(serviceDb(), second.token))?.status).toBe("valid");
  });

  it("refuses to invite someone who is already a member", async () => {
    await expect(invite(f.a.members.manager.email.toUpperCase())).rejects.toMatchObject({ code: "conflict" });
  });

  it("revokes only this workspace's invitations", async () => {
    const { invitation, token } = await invite(`revoked-${randomSuffix()}@example.test`);
    const asAdmin = claimsFor(f.a.members.admin.id, f.a.members.admin.email);
    await withUserTx(asAdmin, (tx) =>
      revokeInvitation(tx, { workspaceId: f.a.id, actorId: f.a.members.admin.id, invitationId: invitation.id }),
    );
    expect((await findInvitationByToken(serviceDb(), token))?.status).toBe("revoked");
    await expect(
      withUserTx(asAdmin, (tx) =>
        revokeInvitation(tx, { workspaceId: f.a.id, actorId: f.a.members.admin.id, invitationId: f.b.invitationId }),
      ),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("does not recognise an unknown token", async () => {
    expect(await findInvitationByToken(serviceDb(), "not-a-real-token-but-long-enough")).toBeNull();
  });
});
