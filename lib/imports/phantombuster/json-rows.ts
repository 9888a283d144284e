import { stringify } from "csv-stringify/sync";

/**
 * PhantomBuster's result.json is one JSON array of flat objects (one per person). These turn
 * it into CSV for the import pipeline without ever holding the file: the array is split into
 * its elements as the text streams past (each element parsed alone), and the columns are the
 * union of the elements' keys in the order they first appear (a later row may add one).
 */

export class JsonRowsRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonRowsRefused";
  }
}

/** One person's object is small; a larger element is not a result row. */
const MAX_ELEMENT_CHARS = 1_000_000;

/** Each top-level element of a JSON array, as its own text, in order. */
export async function* splitJsonArray(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let opened = false;
  let closed = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = "";
  for await (const chunk of chunks) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (!opened) {
        if (c === "[") {
          opened = true;
          start = i + 1;
        } else if (!/\s/.test(c) && !(c === "\ufeff" && i === 0)) {
          throw new JsonRowsRefused("The result file is not a JSON list of rows.");
        }
        continue;
      }
      if (closed) {
        if (!/\s/.test(c)) throw new JsonRowsRefused("The result file has text after its JSON list.");
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if ((c === "}" || c === "]") && depth > 0) depth--;
      else if (depth === 0 && (c === "," || c === "]")) {
        element += chunk.slice(start, i);
        start = i + 1;
        const text = element.trim();
        element = "";
        if (text) yield text;
        else if (c === ",") throw new JsonRowsRefused("The result file is not valid JSON (an empty element in its list).");
        if (c === "]") closed = true;
      }
    }
    if (opened && !closed) {
      element += chunk.slice(start);
      if (element.length > MAX_ELEMENT_CHARS) throw new JsonRowsRefused("A row of the result file is larger than any person's record.");
    }
  }
  if (!opened || !closed) throw new JsonRowsRefused("The result file ends before its JSON list does: it may have been cut off.");
}

/** One element as a row object; anything but an object is refused. */
export function parseRow(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JsonRowsRefused("The result file is not valid JSON.");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new JsonRowsRefused("The result file's list holds something other than rows of named values.");
  }
  return value as Record<string, unknown>;
}

/** A value as one CSV cell: text as it is, nested values as their JSON. */
export function cellOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** The CSV text of one line. */
export const csvLine = (cells: readonly string[]): string => stringify([cells as string[]], { eof: true, record_delimiter: "\n" });
