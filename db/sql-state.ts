/** The driver's error inside drizzle's wrapping: the first in the cause chain that carries a SQLSTATE. */
function postgresErrorOf(error: unknown): Error | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return e;
  }
  return undefined;
}

/** The SQLSTATE of a failed query (e.g. 23505 unique violation), looking through drizzle's wrapping of the driver error. */
export function sqlStateOf(error: unknown): string | undefined {
  return (postgresErrorOf(error) as { code?: string } | undefined)?.code;
}

/** The message PostgreSQL gave with that SQLSTATE (e.g. a trigger's RAISE), looking through the same wrapping. */
export function sqlMessageOf(error: unknown): string | undefined {
  return postgresErrorOf(error)?.message;
}
