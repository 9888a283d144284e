/**
 * PostgreSQL stores no NUL character (U+0000) in text or jsonb: a value holding one fails the
 * statement that writes it ("invalid byte sequence for encoding UTF8: 0x00"), long after the
 * schema accepted it, and the person got "Something went wrong" instead of a field to fix. A
 * NUL never belongs in what a person types or a program sends, so every entry point (server
 * actions, the REST API) refuses one before parsing, naming where it is.
 */
export const NUL_CHARACTER_MESSAGE = "This text holds a NUL character (\\u0000), which cannot be saved. Remove it and send it again.";

type Path = (string | number)[];

/** Where `value` (plain objects, arrays and strings, as JSON or a form gives them) holds a NUL character, in a key or a value. */
export function nulCharacterPaths(value: unknown, path: Path = [], found: Path[] = []): Path[] {
  if (typeof value === "string") {
    if (value.includes("\u0000")) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => nulCharacterPaths(item, [...path, index], found));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) found.push([...path, key]);
      else nulCharacterPaths(item, [...path, key], found);
    }
  }
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
