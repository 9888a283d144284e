import { isAscii, isUtf8 } from "node:buffer";

/** What the next chunk of a file read as UTF-8 turned out to be. */
export type Utf8Chunk =
  /** Valid so far: these bytes (complete characters only, in order) go on as UTF-8. */
  | { kind: "utf-8"; bytes: Buffer[] }
  /**
   * The first non-ASCII byte of the file is not UTF-8: every byte before it was ASCII, which
   * reads the same in any ASCII-compatible encoding, so the file goes on in a legacy one from
   * `bytes` (everything not passed on yet, this chunk included).
   */
  | { kind: "legacy"; bytes: Buffer }
  /** Not UTF-8 after valid non-ASCII UTF-8: no single encoding reads both. `context` is the line around it. */
  | { kind: "mixed"; context: Buffer };

const EMPTY = Buffer.alloc(0);
const CONTEXT_BYTES = 40;

/**
 * Checks a file's bytes as UTF-8 chunk by chunk, holding back only a character cut off at the
 * end of a chunk (at most 3 bytes), so that a file detected as UTF-8 from its start is never
 * decoded with replacement characters further on: the first byte that is not UTF-8 either
 * switches the file to a legacy encoding (when nothing before it was non-ASCII) or stops it.
 */
export class Utf8Stream {
  private carry: Buffer = EMPTY;
  private sawNonAscii = false;
  /** The last bytes passed on, only to show the line where a file goes wrong when a chunk starts it. */
  private recent: Buffer = EMPTY;

  next(chunk: Buffer): Utf8Chunk {
    const carried = this.carry;
    const bytes: Buffer[] = [];
    let start = 0;
    if (carried.length > 0) {
      const missing = sequenceLength(carried[0]!) - carried.length;
      const take = Math.min(missing, chunk.length);
      const head = Buffer.concat([carried, chunk.subarray(0, take)]);
      if (take < missing) {
        if (!chunk.subarray(0, take).every(isContinuation)) return this.fail(carried, chunk);
        this.carry = head;
        return { kind: "utf-8", bytes };
      }
      if (!isUtf8(head)) return this.fail(carried, chunk);
      bytes.push(head);
      start = take;
    }
    const end = completeEnd(chunk, start);
    const body = chunk.subarray(start, end);
    if (!isUtf8(body)) return this.fail(carried, chunk);
    // Copied: the caller may reuse the chunk's memory once it has been passed on.
    this.carry = end < chunk.length ? Buffer.from(chunk.subarray(end)) : EMPTY;
    if (body.length > 0) bytes.push(body);
    this.remember(bytes);
    if (!this.sawNonAscii) this.sawNonAscii = carried.length > 0 || !isAscii(body);
    return { kind: "utf-8", bytes };
  }

  /** At the end of the file: a character cut off by the end is not UTF-8 either. */
  end(): Utf8Chunk | null {
    if (this.carry.length === 0) return null;
    return this.fail(this.carry, EMPTY);
  }

  private remember(passed: Buffer[]): void {
    const total = passed.reduce((sum, bytes) => sum + bytes.length, 0);
    if (total === 0) return;
    const last = passed.at(-1)!.length >= CONTEXT_BYTES ? passed.at(-1)! : Buffer.concat([this.recent, ...passed]);
    this.recent = Buffer.from(last.subarray(Math.max(0, last.length - CONTEXT_BYTES)));
  }

  private fail(carried: Buffer, chunk: Buffer): Utf8Chunk {
    const rest = Buffer.concat([carried, chunk]);
    const invalid = firstInvalid(rest);
    const firstHigh = rest.findIndex((byte) => byte >= 0x80);
    if (!this.sawNonAscii && firstHigh === invalid) return { kind: "legacy", bytes: rest };
    return { kind: "mixed", context: lineAround(Buffer.concat([this.recent, rest]), this.recent.length + invalid) };
  }
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** Bytes of the character a lead byte starts; 0 for a byte that cannot start one. */
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

/** Where the chunk's complete characters end: before a lead byte whose character the chunk cuts off. */
function completeEnd(chunk: Buffer, start: number): number {
  for (let back = 1; back <= 3 && chunk.length - back >= start; back++) {
    const byte = chunk[chunk.length - back]!;
    if (isContinuation(byte)) continue;
    return sequenceLength(byte) > back ? chunk.length - back : chunk.length;
  }
  return chunk.length;
}

/** The first byte that does not begin a valid UTF-8 character (a cut-off one at the end included). */
function firstInvalid(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i]!);
    if (length === 0 || i + length > bytes.length || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return bytes.length;
}

/** The line holding `at`, at most 80 bytes of it, to show the person where the file goes wrong. */
function lineAround(bytes: Buffer, at: number): Buffer {
  let from = at;
  while (from > 0 && at - from < CONTEXT_BYTES && bytes[from - 1] !== 0x0a && bytes[from - 1] !== 0x0d) from--;
  let to = at;
  while (to < bytes.length && to - at < CONTEXT_BYTES && bytes[to] !== 0x0a && bytes[to] !== 0x0d) to++;
  return bytes.subarray(from, to);
}
