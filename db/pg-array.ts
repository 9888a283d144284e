/**
 * A PostgreSQL array literal (`{"a","b",NULL}`), sent as ONE text parameter and cast in SQL
 * (`${pgArray(ids)}::uuid[]`): a statement for many rows keeps one parameter per column however
 * many rows it carries, and its type is the cast's, not what postgres.js guesses for a JS array
 * (which it cannot serialize for every type a prepared statement describes, e.g. timestamptz[]).
 * Every element is quoted, so any text travels as it is.
 */
export function pgArray(values: readonly (string | number | null)[]): string {
  const element = (value: string | number | null) => (value === null ? "NULL" : `"${String(value).replace(/["\\]/g, "\\$&")}"`);
  return `{${values.map(element).join(",")}}`;
}
