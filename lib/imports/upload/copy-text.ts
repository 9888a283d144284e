/**
 * One row of lead_import_rows in PostgreSQL's COPY text format: tab-separated columns, and
 * `fields` as an array literal whose every element is double-quoted (so "", " " and "NULL"
 * stay the strings they are). Two escapings stack: the array literal's (\ and " take a
 * backslash) and then COPY's (a backslash doubles; tab, newline and carriage return become
 * \t \n \r). Values never hold NUL: the reader refuses such files.
 */
export function copyRowLine(importId: string, workspaceId: string, rowNumber: number, fields: readonly string[]): string {
  let array = "{";
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) array += ",";
    array += quoteElement(fields[i]!);
  }
  return `${importId}\t${workspaceId}\t${rowNumber}\t${array}}\n`;
}

const SPECIAL = /[\\"\t\n\r]/;
const SPECIALS = /[\\"\t\n\r]/g;
const ESCAPED: Record<string, string> = {
  "\\": "\\\\\\\\",
  '"': '\\\\"',
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};

function quoteElement(value: string): string {
  if (!SPECIAL.test(value)) return `"${value}"`;
  return `"${value.replace(SPECIALS, (char) => ESCAPED[char]!)}"`;
}

/**
 * COPY lines packed into Buffers of at most `size` bytes (a line longer than that gets a Buffer
 * of its own), each line encoded to UTF-8 as it comes. Encoding whole text chunks instead took
 * a third of an upload's CPU: one name outside Latin-1 (Łukasz) makes a 256 kB string two-byte,
 * and the UTF-8 encoding of those is slow (6.8 of 24.6 CPU-s of the Next server for a
 * 1,000,000-row file, profiled). A line is two-byte only when it holds such a name itself.
 */
export class CopyChunks {
  private buffer: Buffer;
  private used = 0;

  constructor(private readonly size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  /** Adds a line; returns the chunks it completed, in order (mostly none). */
  add(line: string): Buffer[] {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair's 4 bytes are 2 per unit).
    const most = 3 * line.length;
    const done: Buffer[] = [];
    if (this.used + most > this.size) {
      const full = this.take();
      if (full) done.push(full);
    }
    if (most > this.size) {
      done.push(Buffer.from(line, "utf8"));
      return done;
    }
    this.used += this.buffer.write(line, this.used, "utf8");
    return done;
  }

  /** The lines added since the last chunk, as one chunk (null when there are none). */
  take(): Buffer | null {
    if (this.used === 0) return null;
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(this.size);
    this.used = 0;
    return chunk;
  }
}
