/**
 * Text PostgreSQL cannot store, refused at every entry point (server actions, the REST API)
 * before parsing, naming where it is. Otherwise it fails the statement that writes it, long after
 * the schema accepted it, and the person gets "Something went wrong" instead of a field to fix:
 *  - a NUL character (U+0000): text and jsonb refuse it ("invalid byte sequence… 0x00");
 *  - half of a UTF-16 surrogate pair (such as "\ud800" in JSON): jsonb refuses it ("invalid input
 *    syntax for type json"), and text would keep a replacement character instead;
 *  - nesting deeper than anything the app takes: walking it (or parsing it further) would run
 *    out of stack.
 */
export const NUL_CHARACTER_MESSAGE = "This text holds a NUL character (\\u0000), which cannot be saved. Remove it and send it again.";
export const BROKEN_CHARACTER_MESSAGE =
  "This text holds half of a character pair (an unpaired UTF-16 surrogate such as \\ud800), which cannot be saved. Remove it and send it again.";
export const MAX_NESTING = 32;
export const TOO_DEEP_MESSAGE = `Nested more than ${MAX_NESTING} levels deep: no field of this app goes that deep.`;

type Path = (string | number)[];
export type UnsavableText = { path: Path; message: string };

/** At most this many places are named: enough to fix the input, without an answer as big as it. */
const MAX_FOUND = 20;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Where `value` (plain objects, arrays and strings, as JSON or a form gives them) holds text that
 * cannot be saved, in a key or a value, in document order. Walked without recursion, so no depth
 * of input can overflow the stack; past MAX_NESTING levels the place is named as too deep.
 */
export function unsavableText(value: unknown): UnsavableText[] {
  const found: UnsavableText[] = [];
  // A key that cannot be saved waits on the stack as its own entry, so places come out in order.
  const stack: { value: unknown; path: Path; badKey?: string }[] = [{ value, path: [] }];
  while (stack.length > 0 && found.length < MAX_FOUND) {
    const { value: item, path, badKey } = stack.pop()!;
    if (badKey) {
      found.push({ path, message: badKey });
      continue;
    }
    if (typeof item === "string") {
      const message = textProblem(item);
      if (message) found.push({ path, message });
      continue;
    }
    const entries: [string | number, unknown][] | null = Array.isArray(item)
      ? item.map((child, index) => [index, child])
      : isPlainObject(item)
        ? Object.entries(item)
        : null;
    if (!entries) continue;
    if (path.length >= MAX_NESTING) {
      found.push({ path, message: TOO_DEEP_MESSAGE });
      continue;
    }
    const children: { value: unknown; path: Path; badKey?: string }[] = [];
    for (const [key, child] of entries) {
      const keyProblem = typeof key === "string" ? textProblem(key) : null;
      children.push({ value: child, path: [...path, key], ...(keyProblem ? { badKey: keyProblem } : {}) });
    }
    // Reversed onto the stack, so that the first child is looked at first.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return found;
}

function textProblem(text: string): string | null {
  if (text.includes("\u0000")) return NUL_CHARACTER_MESSAGE;
  if (LONE_SURROGATE.test(text)) return BROKEN_CHARACTER_MESSAGE;
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
