import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { megabytes } from "../upload-refused";
import { cellOf, csvLine, JsonRowsRefused, parseRow, splitJsonArray } from "./json-rows";

/** Columns the import takes (its mapping holds at most 500). */
const MAX_COLUMNS = 500;

export type JsonAsCsv = { csv: AsyncIterable<Uint8Array>; dispose: () => Promise<void> };

/**
 * A result.json as CSV, streamed: the file is written to a temporary file as it downloads
 * (while its columns are collected), then read again to emit the header and one line per row.
 * Only one row is ever in memory. `dispose` removes the temporary file.
 */
export async function jsonResultAsCsv(body: AsyncIterable<Uint8Array>, { maxBytes }: { maxBytes: number }): Promise<JsonAsCsv> {
  const dir = await mkdtemp(path.join(tmpdir(), "phantombuster-result-"));
  const file = path.join(dir, "result.json");
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const columns = new Map<string, number>();
    let bytes = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _: BufferEncoding, done: TransformCallback) {
        bytes += chunk.length;
        if (bytes > maxBytes) return done(new JsonRowsRefused(`The result file is larger than ${megabytes(maxBytes)}.`));
        done(null, chunk);
      },
    });
    const spooled = createWriteStream(file);
    const tee = new Transform({
      transform(chunk: Buffer, _: BufferEncoding, done: TransformCallback) {
        spooled.write(chunk) ? done(null, chunk) : spooled.once("drain", () => done(null, chunk));
      },
    });
    const collect = async (source: AsyncIterable<Buffer>) => {
      for await (const element of splitJsonArray(decoded(source))) {
        for (const key of Object.keys(parseRow(element))) {
          if (!columns.has(key)) {
            if (columns.size >= MAX_COLUMNS) throw new JsonRowsRefused(`The result file has more than ${MAX_COLUMNS} different columns.`);
            columns.set(key, columns.size);
          }
        }
      }
    };
    await pipeline(body, counted, tee, collect);
    await new Promise<void>((resolve, reject) => spooled.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const header = [...columns.keys()];
    // An agent that found nobody writes `[]`: say so, rather than the CSV reader's "first line is empty".
    if (header.length === 0)
      throw new JsonRowsRefused(
        "The result file holds no rows: the agent's last run found nobody. Run the agent again, then import its result.",
      );
    return { csv: csvLines(file, header), dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function* decoded(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of source) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function* csvLines(file: string, header: string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode(csvLine(header));
  let pending = "";
  for await (const element of splitJsonArray(decoded(createReadStream(file)))) {
    const row = parseRow(element);
    pending += csvLine(header.map((key) => cellOf(row[key])));
    if (pending.length >= 64 * 1024) {
      yield encoder.encode(pending);
      pending = "";
    }
  }
  if (pending) yield encoder.encode(pending);
}
