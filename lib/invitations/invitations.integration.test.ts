import { and, eq, sql } from "drizzle-orm";
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
import { listOpenInvitations } from "./list-invitations";
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

  it("lists an expired invitation as expired, until it is sent again", async () => {
    const email = `lapsed-${randomSuffix()}@example.test`;
    await invite(email, "viewer", new Date(Date.now() - 8 * 86_400_000));
    const listed = async () => (await listOpenInvitations(serviceDb(), { workspaceId: f.a.id })).filter((i) => i.email === email);
    expect(await listed()).toEqual([expect.objectContaining({ role: "viewer", expired: true })]);
    await invite(email, "viewer");
    expect(await listed()).toEqual([expect.objectContaining({ role: "viewer", expired: false })]);
  });

  it("replaces the open invitation when the same address is invited again", async () => {
    const email = `twice-${randomSuffix()}@example.test`;
    const first = await invite(email);
    const second = await invite(email, "viewer");
    expect((await findInvitationByToken(serviceDb(), first.token))?.status).toBe("revoked");
    expect((await findInvitationByToken(serviceDb(), second.token))?.status).toBe("valid");
  });

  it("invites the same address twice at once (a double submit, two admins) without failing either: the later link wins", async () => {
    for (const again of [false, true]) {
      const email = `at-once-${randomSuffix()}@example.test`;
      if (again) await invite(email);
      const both = await Promise.all([invite(email), invite(email, "viewer")]);
      const statuses = await Promise.all(both.map(async (b) => (await findInvitationByToken(serviceDb(), b.token))?.status));
      expect(statuses.sort()).toEqual(["revoked", "valid"]);
    }
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
    // For good: an admin's own token (the Data API) cannot bring it back, nor move its date.
    for (const revokedAt of [null, "2000-01-01T00:00:00Z"]) {
      const revived = await withUserTx(asAdmin, (tx) =>
        tx.execute(sql`update public.invitations set revoked_at = ${revokedAt}::timestamptz where id = ${invitation.id}`),
      ).then(
        () => "changed",
        (error: unknown) => (error as { cause?: { code?: string } }).cause?.code ?? String(error),
      );
      expect(revived, `revoked_at = ${revokedAt}`).toBe("23514");
    }
    expect((await findInvitationByToken(serviceDb(), token))?.status).toBe("revoked");
  });

  it("lets no admin's own token plant a link it knows: no insert, no rewrite of a token, no member added without an invitation", async () => {
    // What the Data API would run with the admin's JWT: a known token would create the invitee's account.
    const asAdmin = claimsFor(f.a.members.admin.id, f.a.members.admin.email);
    const known = "a-token-the-admin-chose-and-knows-0123456789";
    const planted = withUserTx(asAdmin, (tx) =>
      tx.execute(sql`insert into public.invitations (workspace_id, email, role, token_hash, invited_by, expires_at)
        values (${f.a.id}, ${`ceo-${randomSuffix()}@othercorp.test`}, 'admin', ${hashInvitationToken(known)},
          ${f.a.members.admin.id}, now() + interval '80 years')`),
    );
    await expect(planted).rejects.toMatchObject({ cause: { code: "42501" } });
    const { invitation } = await invite(`rewritten-${randomSuffix()}@example.test`);
    const rewritten = withUserTx(asAdmin, (tx) =>
      tx.execute(sql`update public.invitations set token_hash = ${hashInvitationToken(known)} where id = ${invitation.id}`),
    );
    await expect(rewritten).rejects.toMatchObject({ cause: { code: "42501" } });
    expect(await findInvitationByToken(serviceDb(), known)).toBeNull();

    const outsider = await createTestUser(serviceDb(), {
      email: `joined-${randomSuffix()}@example.test`,
      fullName: "Joined Without Asking",
    });
    const added = withUserTx(asAdmin, (tx) =>
      tx.execute(sql`insert into public.workspace_members (workspace_id, user_id, role) values (${f.a.id}, ${outsider.id}, 'viewer')`),
    );
    await expect(added).rejects.toMatchObject({ cause: { code: "42501" } });

    // Through the server's function, only as an admin of the workspace, and for seven days at most.
    const asRep = claimsFor(f.a.members.sales_rep.id, f.a.members.sales_rep.email);
    const viaFunction = (claims: typeof asAdmin, days: number) =>
      withUserTx(claims, (tx) =>
        tx.execute(sql`select private.create_invitation(${f.a.id}, ${`fn-${randomSuffix()}@example.test`}, 'viewer',
          ${hashInvitationToken(`fn-${randomSuffix()}`)}, now() + make_interval(days => ${days}), ${f.a.members.admin.id})`),
      );
    await expect(viaFunction(asRep, 7)).rejects.toMatchObject({ cause: { code: "42501" } });
    await expect(viaFunction(asAdmin, 30)).rejects.toMatchObject({ cause: { code: "23514" } });
    await expect(viaFunction(asAdmin, 7)).resolves.toHaveLength(1);
  });

  it("does not recognise an unknown token", async () => {
    expect(await findInvitationByToken(serviceDb(), "not-a-real-token-but-long-enough")).toBeNull();
  });
});
