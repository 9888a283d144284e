import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { embeddedEnvironment, loadOrCreateLocalSecrets } from "./secrets";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "lip-secrets-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

/** What `npm run dev` puts in the environment on one start (scripts/lib/prepare.ts). */
const start = async () => embeddedEnvironment(await loadOrCreateLocalSecrets(dataDir), { NODE_ENV: "test" });

describe("local secrets", () => {
  it("gives every start on one data directory the same anon and service-role keys", async () => {
    const first = await start();
    const second = await start();
    expect(second.NEXT_PUBLIC_SUPABASE_ANON_KEY).toBe(first.NEXT_PUBLIC_SUPABASE_ANON_KEY);
    expect(second.SUPABASE_SERVICE_ROLE_KEY).toBe(first.SUPABASE_SERVICE_ROLE_KEY);
  });

  it("signs the kept keys with the data directory's signing key, for their roles", async () => {
    const environment = await start();
    const jwk = JSON.parse(environment.LOCAL_AUTH_SIGNING_JWK!) as { kid: string };
    const { d: _private, ...publicJwk } = jwk as Record<string, string>;
    const key = await importJWK(publicJwk, "ES256");
    for (const [name, role] of [
      ["NEXT_PUBLIC_SUPABASE_ANON_KEY", "anon"],
      ["SUPABASE_SERVICE_ROLE_KEY", "service_role"],
    ] as const) {
      expect(decodeProtectedHeader(environment[name]!).kid).toBe(jwk.kid);
      expect((await jwtVerify(environment[name]!, key)).payload.role).toBe(role);
    }
  });

  it("adds the keys once to a data directory made before they were kept, and keeps its signing key", async () => {
    await start();
    const file = path.join(dataDir, "secrets.json");
    const { anonKey: _anon, serviceRoleKey: _service, ...older } = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    await writeFile(file, JSON.stringify(older));

    const first = await start();
    const second = await start();
    expect(first.LOCAL_AUTH_SIGNING_JWK).toBe(JSON.stringify(older.authSigningJwk));
    expect(second.NEXT_PUBLIC_SUPABASE_ANON_KEY).toBe(first.NEXT_PUBLIC_SUPABASE_ANON_KEY);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ ...older, anonKey: first.NEXT_PUBLIC_SUPABASE_ANON_KEY });
  });
});
