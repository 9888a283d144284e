import postgres from "postgres";

/** postgres.js's options without the ones this module decides. */
export type PostgresOptions = Omit<postgres.Options<Record<string, postgres.PostgresType>>, "path">;

/**
 * Where a DATABASE_URL points, as postgres.js 3.4 can reach it. The URL may name a Unix socket
 * directory the way libpq does, `postgres://user:password@localhost:5432/lip?host=/path/to/dir`
 * (the embedded PostgreSQL's URL does: lib/local/embedded-postgres.ts). postgres.js reads the
 * host only from the URL's authority, and sends every query parameter it does not know to the
 * server as a setting, which refuses `host` ("unrecognized configuration parameter"). So the
 * parameter is taken out and becomes postgres.js's `path` (the socket file: the directory,
 * `/.s.PGSQL.`, the port), or its `host` when it names a machine. `pgbouncer=true` (db/prepare-mode.ts) is ours too, never the server's.
 */
export function postgresTarget(databaseUrl: string): { url: string; path?: string; host?: string } {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return { url: databaseUrl }; // postgres.js explains a malformed URL itself
  }
  const host = url.searchParams.get("host");
  const ours = ["host", "pgbouncer"].filter((name) => url.searchParams.has(name));
  if (ours.length === 0) return { url: databaseUrl };
  for (const name of ours) url.searchParams.delete(name);
  if (!host) return { url: url.toString() };
  // As in libpq, the parameter wins over the URL's host: a directory is a socket, else a host name.
  if (!host.startsWith("/")) return { url: url.toString(), host };
  return { url: url.toString(), path: `${host.replace(/\/+$/, "")}/.s.PGSQL.${url.port || "5432"}` };
}

/** A postgres.js client for a DATABASE_URL, over its Unix socket when the URL names one. */
export function openPostgres(databaseUrl: string, options: PostgresOptions = {}): postgres.Sql {
  const { url, ...where } = postgresTarget(databaseUrl);
  return postgres(url, { ...options, ...where });
}
