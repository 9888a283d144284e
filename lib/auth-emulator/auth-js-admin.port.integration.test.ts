import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAndConfirm, startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

/**
 * Our port of the server-facing tests in auth-js's test/GoTrueApi.test.ts (supabase-js v2.109.0,
 * packages/core/auth-js) that cover features this product uses: each `it` is named after the
 * upstream test whose checks it makes, written against the real supabase-js client and this
 * server. Upstream runs against a GoTrue with autoconfirm on; where a test needs a signed-in
 * user we sign up and open the confirmation link, as this server always requires it.
 * Not ported: phone OTP, MFA and OAuth-server admin tests (features the product does not use),
 * and "generateLink supports updating emails" (this server has no email-change flow).
 */
process.env.AUTH_ENABLE_SIGNUP = "true";

let server: AuthTestServer;

beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

const INVALID_EMAIL = "xx:;x@x.x";
const NON_EXISTENT_USER_ID = "83fd9e20-7a80-46e4-bf29-a86e3d6bbf66";
const PASSWORD = "port passphrase 1";
const admin = () => server.adminClient().auth.admin;
const createUser = (email: string) => admin().createUser({ email, password: PASSWORD, user_metadata: {} });

describe("GoTrueAdminApi (port)", () => {
  describe("User creation", () => {
    it("createUser() should create a new user", async () => {
      const email = uniqueEmail("port-create");
      const { data, error } = await createUser(email);
      expect(error).toBeNull();
      expect(data.user?.email).toBe(email);
    });

    it("createUser() with user metadata", async () => {
      const user_metadata = { profile_image: "https://avatars.example.com/u/1" };
      const { data, error } = await admin().createUser({ email: uniqueEmail("port-umeta"), password: PASSWORD, user_metadata });
      expect(error).toBeNull();
      expect(data.user?.user_metadata).toEqual(user_metadata);
    });

    it("createUser() with app metadata", async () => {
      const { data, error } = await admin().createUser({
        email: uniqueEmail("port-ameta"),
        password: PASSWORD,
        app_metadata: { roles: ["editor"] },
      });
      expect(error).toBeNull();
      expect(data.user?.app_metadata).toHaveProperty("provider");
      expect(data.user?.app_metadata).toHaveProperty("providers");
      expect(data.user?.app_metadata.roles).toEqual(["editor"]);
    });

    it("createUser() with user and app metadata", async () => {
      const { data, error } = await admin().createUser({
        email: uniqueEmail("port-both"),
        password: PASSWORD,
        user_metadata: { profile_image: "https://avatars.example.com/u/2" },
        app_metadata: { roles: ["publisher"] },
      });
      expect(error).toBeNull();
      expect(data.user?.user_metadata.profile_image).toMatch(/^https:\/\/avatars\./);
      expect(data.user?.app_metadata).toMatchObject({ provider: "email", providers: ["email"], roles: ["publisher"] });
    });

    it("createUser() returns AuthError when email is invalid", async () => {
      const { data, error } = await admin().createUser({ email: INVALID_EMAIL, password: PASSWORD });
      expect(error?.message).toMatch("Unable to validate email address: invalid format");
      expect(data.user).toBeNull();
    });
  });

  describe("List users", () => {
    it("listUsers() should return registered users", async () => {
      const email = uniqueEmail("port-list");
      await createUser(email);
      const { data, error } = await admin().listUsers();
      expect(error).toBeNull();
      expect(data).toHaveProperty("aud");
      expect(data.users.map((user) => user.email)).toContain(email);
    });

    it("listUsers() returns AuthError when page is invalid", async () => {
      const { data, error } = await admin().listUsers({ page: -1, perPage: 10 });
      expect(error).not.toBeNull();
      expect(data.users).toEqual([]);
    });
  });

  describe("Get user", () => {
    it("getUser() fetches a user by their access_token", async () => {
      const email = uniqueEmail("port-getuser");
      const client = server.anonClient();
      const { session } = await signUpAndConfirm(client, email, PASSWORD);
      expect(session).not.toBeNull();
      const { data, error } = await client.auth.getUser();
      expect(error).toBeNull();
      expect(data.user?.email).toBe(email);
    });

    it("getUserById() should a registered user given its user identifier", async () => {
      const email = uniqueEmail("port-byid");
      const created = await createUser(email);
      const { data, error } = await admin().getUserById(created.data.user!.id);
      expect(error).toBeNull();
      expect(data.user?.email).toBe(email);
    });

    it("getUserById() returns AuthError when user id is invalid", async () => {
      const { data, error } = await admin().getUserById(NON_EXISTENT_USER_ID);
      expect(error).not.toBeNull();
      expect(data.user).toBeNull();
    });
  });

  describe("User updates", () => {
    it("modify email using updateUserById()", async () => {
      const email = uniqueEmail("port-email");
      const created = await createUser(email);
      const { data, error } = await admin().updateUserById(created.data.user!.id, { email: `new_${email}` });
      expect(error).toBeNull();
      expect(data.user?.email).toBe(`new_${email}`);
    });

    it("modify user metadata using updateUserById()", async () => {
      const email = uniqueEmail("port-meta");
      const created = await createUser(email);
      const { data, error } = await admin().updateUserById(created.data.user!.id, { user_metadata: { favorite_color: "yellow" } });
      expect(error).toBeNull();
      expect(data.user?.email).toBe(email);
      expect(data.user?.user_metadata).toEqual({ favorite_color: "yellow" });
    });

    it("modify app metadata using updateUserById()", async () => {
      const created = await createUser(uniqueEmail("port-appmeta"));
      const { data, error } = await admin().updateUserById(created.data.user!.id, { app_metadata: { roles: ["admin", "publisher"] } });
      expect(error).toBeNull();
      expect(data.user?.app_metadata).toHaveProperty("roles");
    });

    it("modify confirm email using updateUserById()", async () => {
      const { data: created, error: createError } = await admin().createUser({
        email: uniqueEmail("port-confirm"),
        password: PASSWORD,
        email_confirm: false,
      });
      expect(createError).toBeNull();
      expect(created.user?.email_confirmed_at).toBeFalsy();
      const { data, error } = await admin().updateUserById(created.user!.id, { email_confirm: true });
      expect(error).toBeNull();
      expect(data.user?.email_confirmed_at).toBeTruthy();
    });
  });

  describe("User deletes", () => {
    it("deleteUser() should be able delete an existing user", async () => {
      const email = uniqueEmail("port-delete");
      const created = await createUser(email);
      const { data, error } = await admin().deleteUser(created.data.user!.id);
      expect(error).toBeNull();
      expect(data.user).toBeTruthy();
      const list = await admin().listUsers({ page: 1, perPage: 1000 });
      expect(list.error).toBeNull();
      expect(list.data.users.length).toBeGreaterThan(0);
      expect(list.data.users.map((user) => user.email)).not.toContain(email);
    });

    it("deleteUser() returns AuthError when user id is invalid", async () => {
      const { data, error } = await admin().deleteUser(NON_EXISTENT_USER_ID);
      expect(error).not.toBeNull();
      expect(data.user).toBeNull();
    });
  });

  describe("User registration", () => {
    it("generateLink supports signUp with generate confirmation signup link", async () => {
      const { data, error } = await admin().generateLink({
        type: "signup",
        email: uniqueEmail("port-link"),
        password: PASSWORD,
        options: { data: { status: "alpha" }, redirectTo: "http://localhost:9999/welcome" },
      });
      expect(error).toBeNull();
      expect(data.user).toHaveProperty("email");
      expect(data.user?.user_metadata).toEqual({ status: "alpha" });
      for (const property of ["action_link", "email_otp", "hashed_token", "redirect_to", "verification_type"]) {
        expect(data.properties).toHaveProperty(property);
      }
      expect(data.properties?.action_link).toMatch(/\?token/);
      expect(data.properties?.action_link).toMatch(/type=signup/);
      // An off-site redirect falls back to the site URL, as it does in GoTrue without an allow-list entry.
      expect(data.properties?.action_link).toMatch(/redirect_to=/);
    });

    it("inviteUserByEmail() creates a new user with an invited_at timestamp", async () => {
      const { data, error } = await admin().inviteUserByEmail(uniqueEmail("port-invite"), {
        data: { status: "alpha" },
        redirectTo: "http://localhost:9999/welcome",
      });
      expect(error).toBeNull();
      expect(data.user?.invited_at).toBeDefined();
    });

    it("inviteUserByEmail() returns AuthError when email is invalid", async () => {
      const { data, error } = await admin().inviteUserByEmail(INVALID_EMAIL);
      expect(error?.message).toMatch("Unable to validate email address: invalid format");
      expect(data.user).toBeNull();
    });

    it("generateLink() returns AuthError when email is invalid", async () => {
      const { data, error } = await admin().generateLink({ type: "signup", email: INVALID_EMAIL, password: "password123" });
      expect(error?.message).toMatch("Unable to validate email address: invalid format");
      expect(data.user).toBeNull();
      expect(data.properties).toBeNull();
    });
  });

  describe("User authentication: signOut()", () => {
    it("signOut() with an valid access token", async () => {
      const { session } = await signUpAndConfirm(server.anonClient(), uniqueEmail("port-signout"), PASSWORD);
      const { error } = await admin().signOut(session.access_token);
      expect(error).toBeNull();
    });

    it("signOut() with an invalid access token", async () => {
      const { error } = await admin().signOut("this-is-a-bad-token");
      expect(error?.message).toMatch(/^invalid JWT/);
    });

    it("signOut() fails with invalid scope", async () => {
      const email = uniqueEmail("port-scope");
      const client = server.anonClient();
      await signUpAndConfirm(client, email, PASSWORD);
      const { data, error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
      expect(error).toBeNull();
      expect(data.session).not.toBeNull();
      await expect(client.auth.signOut({ scope: "invalid_scope" as never })).rejects.toThrow(
        "@supabase/auth-js: Parameter scope must be one of global, local, others",
      );
    });
  });

  describe("Update User", () => {
    it("updateUserById() returns AuthError when user id is invalid", async () => {
      const { data, error } = await admin().updateUserById(NON_EXISTENT_USER_ID, { email: "new@email.com" });
      expect(error).not.toBeNull();
      expect(data.user).toBeNull();
    });
  });
});
