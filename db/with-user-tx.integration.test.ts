import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withUserTx } from "@/db";

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
});
