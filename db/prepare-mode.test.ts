import { describe, expect, it } from "vitest";
import { looksLikeTransactionPooler, usePreparedStatements } from "./prepare-mode";

describe("usePreparedStatements", () => {
  const direct = "postgres://postgres:pw@db.abc.supabase.co:5432/postgres";
  const supabaseTransactionPooler = "postgres://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres";
  const pgbouncer = "postgres://app:pw@bouncer.internal:6432/app?pgbouncer=true";

  it("prepares on a direct connection or a session pooler, and not behind a transaction pooler, when left on auto", () => {
    expect(usePreparedStatements(direct, undefined)).toBe(true);
    expect(usePreparedStatements(direct, "")).toBe(true);
    expect(usePreparedStatements(direct, "auto")).toBe(true);
    expect(usePreparedStatements(supabaseTransactionPooler, "auto")).toBe(false);
    expect(usePreparedStatements(pgbouncer, undefined)).toBe(false);
  });

  it("obeys an explicit on or off whatever the URL looks like", () => {
    expect(usePreparedStatements(direct, "off")).toBe(false);
    expect(usePreparedStatements(direct, " OFF ")).toBe(false);
    expect(usePreparedStatements(supabaseTransactionPooler, "on")).toBe(true);
  });

  it("refuses any other value in words", () => {
    expect(() => usePreparedStatements(direct, "yes")).toThrow(/DATABASE_PREPARE must be auto, on or off/);
  });

  it("recognises a transaction pooler by its port or its pgbouncer flag only", () => {
    expect(looksLikeTransactionPooler(supabaseTransactionPooler)).toBe(true);
    expect(looksLikeTransactionPooler(pgbouncer)).toBe(true);
    expect(looksLikeTransactionPooler("postgres://u:p@aws-0-eu-central-1.pooler.supabase.com:5432/postgres")).toBe(false);
    expect(looksLikeTransactionPooler("not a url")).toBe(false);
  });
});
