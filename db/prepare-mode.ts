/**
 * Whether connections use server-side prepared statements (DATABASE_PREPARE: auto, on, off).
 *
 * Unprepared, every query with parameters costs postgres.js two round trips: Parse and Describe
 * first, to learn the parameters' types, and only then Bind and Execute; and nothing can be
 * pipelined behind it meanwhile. Prepared once per connection, later runs are one Bind/Execute
 * that pipelines with its neighbours. A transaction-mode pooler (Supabase's port 6543,
 * PgBouncer with `pool_mode=transaction`) hands each transaction to any server connection, where
 * the statement does not exist: there statements must stay unprepared. `auto` (the default)
 * turns them off for what looks like one: port 6543 or `?pgbouncer=true` in the URL.
 */
export const PREPARE_SETTINGS = ["auto", "on", "off"] as const;
export type PrepareSetting = (typeof PREPARE_SETTINGS)[number];

export function looksLikeTransactionPooler(databaseUrl: string): boolean {
  try {
    const url = new URL(databaseUrl);
    return url.port === "6543" || url.searchParams.get("pgbouncer") === "true";
  } catch {
    return false;
  }
}

export function usePreparedStatements(databaseUrl: string, setting: string | undefined = process.env.DATABASE_PREPARE): boolean {
  const value = (setting ?? "").trim().toLowerCase() || "auto";
  if (!(PREPARE_SETTINGS as readonly string[]).includes(value)) {
    throw new Error(`DATABASE_PREPARE must be auto, on or off (it is "${setting}")`);
  }
  if (value === "auto") return !looksLikeTransactionPooler(databaseUrl);
  return value === "on";
}
