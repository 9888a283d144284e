import WebSocket from "ws";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, withUserTx } from "@/db";
import { workspaceMembers } from "@/db/schema";
import { createConfirmedUser, startAuthTestServer, uniqueEmail, type AuthTestServer } from "@/lib/auth-emulator/testing";
import { claimsFor, createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { acceptInvitationAsNewUser } from "./accept-invitation-as-new-user";
import { createInvitation } from "./create-invitation";

// supabase-js refuses to start on Node 20 without a WebSocket; Next polyfills it in the app.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

let server: AuthTestServer;
let f: TenancyFixture;
beforeAll(async () => {
  server = await startAuthTestServer();
  f = await createTenancyFixture();
});
afterAll(async () => {
  await removeTenancyFixture(f);
  await server.close();
});

const invite = (email: string) =>
  withUserTx(claimsFor(f.a.members.admin.id, f.a.members.admin.email), (tx) =>
    createInvitation(tx, { workspaceId: f.a.id, actorId: f.a.members.admin.id, email, role: "sales_rep" }),
  );

const signIn = (email: string, password: string) => server.anonClient().auth.signInWithPassword({ email, password });

describe("accepting an invitation with a new account", () => {
  it("takes over an account of the address that was never confirmed: the invitee's password works, any earlier one does not", async () => {
    const email = uniqueEmail("unconfirmed-invitee");
    // A sign-up whose confirmation email was never opened (perhaps not even by the invitee).
    const earlier = await server.adminClient().auth.admin.createUser({ email, password: "someone else's pass" });
    expect(earlier.error).toBeNull();
    const { token } = await invite(email);

    const accepted = await acceptInvitationAsNewUser(serviceDb(), server.adminClient(), {
      token,
      fullName: "Inès Invitée",
      password: "the invitee's pass 1",
    });
    expect(accepted).toMatchObject({ email, workspaceId: f.a.id, role: "sales_rep" });
    const member = await serviceDb()
      .select({ role: workspaceMembers.role })
      .from(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, f.a.id), eq(workspaceMembers.userId, earlier.data.user!.id)));
    expect(member).toEqual([{ role: "sales_rep" }]);
    expect((await signIn(email, "the invitee's pass 1")).error).toBeNull();
    expect((await signIn(email, "someone else's pass")).error?.code).toBe("invalid_credentials");
  });

  it("still sends someone with a confirmed account to log in, and changes nothing on it", async () => {
    const { email, password } = await createConfirmedUser(server, "confirmed-invitee");
    const { token } = await invite(email);
    await expect(
      acceptInvitationAsNewUser(serviceDb(), server.adminClient(), { token, fullName: "Someone", password: "a new pass 12" }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("Log in, then open the invitation link again") });
    expect((await signIn(email, password)).error).toBeNull();
  });
});
