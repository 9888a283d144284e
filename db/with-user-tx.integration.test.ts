import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withUserTx } from "@/db";
import { sqlStateOf } from "@/db/sql-state";

describe("withUserTx", () => {
  it("hands RLS the allow-listed claims, never the user-writable user_metadata", async () => {
    const sub = randomUUID();
    const sessionId = randomUUID();
    const claims = {
      sub,
      role: "authenticated" as const,
      email: "someone@example.test",
      aud: "authenticated",
      session_id: sessionId,
      aal: "aal1",
      app_metadata: { provider: "email" },
      user_metadata: { role: "admin", workspace_id: "anything" },
      phone: "",
      custom: "injected",
    };
    const seen = await withUserTx(claims, async (tx) => {
      const [row] = await tx.execute<{ jwt: Record<string, unknown>; uid: string; role: string }>(
        sql`select auth.jwt() as jwt, auth.uid()::text as uid, auth.role() as role`,
      );
      return row!;
    });
    expect(seen.uid).toBe(sub);
    expect(seen.role).toBe("authenticated");
    expect(seen.jwt).toEqual({
      sub,
      role: "authenticated",
      email: "someone@example.test",
      aud: "authenticated",
      session_id: sessionId,
      aal: "aal1",
      app_metadata: { provider: "email" },
    });
  });

  it("passes claims with quotes and backslashes through exactly, as the work's first query", async () => {
    const sub = randomUUID();
    const email = `o'brien\\'; reset role; --${sub.slice(0, 4)}@example.test`;
    const seen = await withUserTx({ sub, role: "authenticated", email }, async (tx) => {
      // The first query of the work: pipelined right behind the settings, it must already see them.
      const [row] = await tx.execute<{ email: string; uid: string; who: string }>(
        sql`select auth.jwt() ->> 'email' as email, auth.uid()::text as uid, current_user as who`,
      );
      return row!;
    });
    expect(seen).toEqual({ email, uid: sub, who: "authenticated" });
  });

  it("reports the work's own error when it fails, not the aborted transaction's", async () => {
    const failure = await withUserTx({ sub: randomUUID(), role: "authenticated" }, async (tx) => {
      await tx.execute(sql`select 1/0`);
    }).catch((error: unknown) => error);
    expect(sqlStateOf(failure)).toBe("22012");
  });
});
