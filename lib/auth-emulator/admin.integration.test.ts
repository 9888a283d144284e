import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { createConfirmedUser, startAuthTestServer, uniqueEmail, type AuthTestServer } from "./testing";

let server: AuthTestServer;

beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.close());

describe("admin users API", () => {
  it("creates a user, and a second one with the same email in another case is email_exists", async () => {
    const email = uniqueEmail("dup");
    const admin = server.adminClient();
    const created = await admin.auth.admin.createUser({
      email,
      password: "a long enough password",
      email_confirm: true,
      user_metadata: { full_name: "Søren Kierkegaard-Núñez" },
      app_metadata: { plan: "team" },
    });
    expect(created.error).toBeNull();
    expect(created.data.user).toMatchObject({
      email,
      user_metadata: { full_name: "Søren Kierkegaard-Núñez" },
      app_metadata: { provider: "email", providers: ["email"], plan: "team" },
    });

    const duplicate = await admin.auth.admin.createUser({ email: email.toUpperCase(), password: "another long password" });
    expect(duplicate.data.user).toBeNull();
    expect(duplicate.error).toMatchObject({
      status: 422,
      code: "email_exists",
      message: "A user with this email address has already been registered",
    });
  });

  it("validates the body: a bad email or a weak password", async () => {
    const admin = server.adminClient();
    expect((await admin.auth.admin.createUser({ email: "not-an-email" })).error).toMatchObject({ status: 400, code: "validation_failed" });
    expect((await admin.auth.admin.createUser({ email: uniqueEmail("weak"), password: "123" })).error).toMatchObject({
      status: 422,
      code: "weak_password",
    });
  });

  it("gets, updates and deletes a user by id", async () => {
    const { userId, email } = await createConfirmedUser(server, "crud");
    const admin = server.adminClient();
    expect((await admin.auth.admin.getUserById(userId)).data.user).toMatchObject({ id: userId, email });

    const updated = await admin.auth.admin.updateUserById(userId, {
      user_metadata: { title: "Account Executive" },
      password: "reset by admin",
    });
    expect(updated.error).toBeNull();
    expect(updated.data.user!.user_metadata).toEqual({ full_name: "Zoë Müller-Ångström", title: "Account Executive" });
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "reset by admin" })).error).toBeNull();

    expect((await admin.auth.admin.deleteUser(userId)).error).toBeNull();
    expect((await admin.auth.admin.getUserById(userId)).error).toMatchObject({ status: 404, code: "user_not_found" });
    expect((await server.anonClient().auth.signInWithPassword({ email, password: "reset by admin" })).error?.code).toBe(
      "invalid_credentials",
    );
  });

  it("soft-deletes: the user is gone, their sessions end and the email is free again", async () => {
    const { userId, email, password } = await createConfirmedUser(server, "soft");
    const session = (await server.anonClient().auth.signInWithPassword({ email, password })).data.session!;
    const admin = server.adminClient();
    expect((await admin.auth.admin.deleteUser(userId, true)).error).toBeNull();
    expect((await admin.auth.admin.getUserById(userId)).error?.code).toBe("user_not_found");
    expect((await server.anonClient().auth.getUser(session.access_token)).data.user).toBeNull();
    expect((await admin.auth.admin.createUser({ email, password })).error).toBeNull();
  });

  it("lists users page by page with the totals auth-js reads from the headers", async () => {
    for (let i = 0; i < 3; i++) await createConfirmedUser(server, `list${i}`);
    const admin = server.adminClient();
    const page1 = await admin.auth.admin.listUsers({ page: 1, perPage: 2 });
    expect(page1.error).toBeNull();
    expect(page1.data.users).toHaveLength(2);
    if (!("total" in page1.data)) throw new Error("listUsers returned no pagination");
    expect(page1.data).toMatchObject({ nextPage: 2, aud: "authenticated" });
    expect(page1.data.total).toBeGreaterThanOrEqual(3);
    // auth-js reads only the first digit of a page number from Link, so check the header itself.
    const raw = await fetch(`${server.url}/auth/v1/admin/users?page=1&per_page=2`, {
      headers: { apikey: env().SUPABASE_SERVICE_ROLE_KEY, authorization: `Bearer ${env().SUPABASE_SERVICE_ROLE_KEY}` },
    });
    const total = Number(raw.headers.get("x-total-count"));
    expect(raw.headers.get("link")).toContain(`page=${Math.ceil(total / 2)}&per_page=2>; rel="last"`);
    // Other test files create users in the same database while this one runs, and a new user
    // shifts every page by one (page numbers, as in GoTrue). So read page 2 between two reads of
    // page 1 that agree: then nothing was added in between, and page 2 must follow page 1.
    const ids = (users: { id: string }[]) => users.map((user) => user.id);
    for (let attempt = 1; ; attempt++) {
      const before = await admin.auth.admin.listUsers({ page: 1, perPage: 2 });
      const page2 = await admin.auth.admin.listUsers({ page: 2, perPage: 2 });
      const after = await admin.auth.admin.listUsers({ page: 1, perPage: 2 });
      if (ids(before.data.users).join() !== ids(after.data.users).join() && attempt < 5) continue;
      expect(ids(after.data.users)).toEqual(ids(before.data.users));
      expect(page2.data.users).toHaveLength(2);
      expect(ids(page2.data.users)).not.toContain(before.data.users[0]!.id);
      expect(ids(page2.data.users)).not.toContain(before.data.users[1]!.id);
      const createdAt = (user: { created_at: string }) => Date.parse(user.created_at);
      expect(createdAt(page2.data.users[0]!)).toBeLessThanOrEqual(createdAt(before.data.users[1]!));
      break;
    }
  });

  it("lists the newest users first, as GoTrue does", async () => {
    const older = await createConfirmedUser(server, "older");
    const newer = await createConfirmedUser(server, "newer");
    const { data, error } = await server.adminClient().auth.admin.listUsers({ page: 1, perPage: 1000 });
    expect(error).toBeNull();
    const ids = data.users.map((user) => user.id);
    expect(ids.indexOf(newer.userId)).toBeLessThan(ids.indexOf(older.userId));
    expect(ids.indexOf(newer.userId)).toBeGreaterThanOrEqual(0);
    const created = data.users.map((user) => Date.parse(user.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it("refuses pagination GoTrue refuses, and sends its Link header", async () => {
    const headers = { apikey: env().SUPABASE_SERVICE_ROLE_KEY, authorization: `Bearer ${env().SUPABASE_SERVICE_ROLE_KEY}` };
    const list = (query: string) => fetch(`${server.url}/auth/v1/admin/users?${query}`, { headers });
    for (const query of ["page=-1&per_page=10", "page=abc", "per_page=-5", "per_page=0", "page=1.5"]) {
      const response = await list(query);
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ code: 400, error_code: "validation_failed" });
    }
    const viaSdk = await server.adminClient().auth.admin.listUsers({ page: -1, perPage: 10 });
    expect(viaSdk.error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(viaSdk.data.users).toEqual([]);

    await createConfirmedUser(server, "links");
    const first = await list("per_page=1&page=1");
    const total = Number(first.headers.get("x-total-count"));
    expect(first.headers.get("link")).toBe(
      `</admin/users?page=2&per_page=1>; rel="next", </admin/users?page=${total}&per_page=1>; rel="last"`,
    );
    // auth-js sends empty parameters when none are given: they mean the defaults.
    expect((await list("page=&per_page=")).status).toBe(200);
  });
});

describe("the service role", () => {
  it("is required: a user's token or the anon key gets 403 not_admin", async () => {
    const { email, password } = await createConfirmedUser(server, "notadmin");
    const { data } = await server.anonClient().auth.signInWithPassword({ email, password });

    // Anon client: apikey and bearer are the anon key.
    const asAnon = await server.anonClient().auth.admin.createUser({ email: uniqueEmail("x") });
    expect(asAnon.error).toMatchObject({ status: 403, code: "not_admin" });

    // A signed-in user's token as the bearer, with either key as the apikey.
    for (const apikey of [env().NEXT_PUBLIC_SUPABASE_ANON_KEY, env().SUPABASE_SERVICE_ROLE_KEY]) {
      const response = await fetch(`${server.url}/auth/v1/admin/users`, {
        headers: { apikey, authorization: `Bearer ${data.session!.access_token}` },
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 403, error_code: "not_admin" });
    }

    const invite = await fetch(`${server.url}/auth/v1/invite`, {
      method: "POST",
      headers: {
        apikey: env().NEXT_PUBLIC_SUPABASE_ANON_KEY,
        authorization: `Bearer ${data.session!.access_token}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ email: uniqueEmail("sneaky") }),
    });
    expect(invite.status).toBe(403);
  });

  it("without a bearer at all is 401", async () => {
    const response = await fetch(`${server.url}/auth/v1/admin/users`, { headers: { apikey: env().SUPABASE_SERVICE_ROLE_KEY } });
    expect(response.status).toBe(401);
    expect((await response.json()).error_code).toBe("no_authorization");
  });
});
