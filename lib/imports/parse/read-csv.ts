import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Parser, type CsvError } from "csv-parse";
import iconv from "iconv-lite";
import { megabytes, UploadRefused } from "../upload-refused";
import { detectEncoding, ENCODING_SAMPLE_BYTES } from "./detect-encoding";
import { notCsvReason, NUL_IN_TEXT } from "./file-signature";
import { sniffDelimiter, type Delimiter } from "./sniff-delimiter";

/** A record longer than this is refused: in practice a quote opened and never closed early in the file. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** What csv-parse's Parser exposes as `state` ("for backward compatibility"; pinned version, tested). */
type ParserState = { state: { record: string[]; field: { toString(encoding: "utf8"): string } } };

export type OpenedCsv = {
  encoding: string;
  delimiter: Delimiter;
  /**
   * Every record (its values as written: a row may have more or fewer than the header) in
   * file order, the header first. Object mode, with backpressure.
   */
  records: Readable;
  /** Once `records` has ended: the file ended inside a quoted value, and its last record holds the rest. */
  endedInsideQuotes: () => boolean;
  /** Bytes of the file read so far. */
  bytesRead: () => number;
};

/**
 * Reads a CSV file as it arrives, never holding more than a sample and one record: detects
 * the encoding (detect-encoding.ts) and the delimiter (sniff-delimiter.ts) from the first
 * 64 KB, decodes with iconv-lite and parses with csv-parse. Quoted values may hold
 * delimiters, doubled quotes and newlines; lines may end in CRLF, LF or a bare CR. Problems
 * of one row never stop the file: a quote inside an unquoted value is kept as written, a row
 * may have any number of fields, and a file that ends inside a quoted value gives the rest as
 * its last record (`endedInsideQuotes`).
 *
 * Empty lines are records (one empty field): they are rows of the file, and the import
 * counts them as skipped empty rows. The newline that ends the last line is not a record.
 *
 * Throws UploadRefused for a file that is not CSV text (known binary signatures, NUL bytes),
 * is empty, or grows past `maxBytes`.
 */
export async function openCsv(source: AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<OpenedCsv> {
  const chunks = source[Symbol.asyncIterator]();
  let bytesRead = 0;
  const count = (chunk: Uint8Array) => {
    bytesRead += chunk.byteLength;
    if (bytesRead > options.maxBytes)
      throw new UploadRefused(`The file is larger than ${megabytes(options.maxBytes)}: split it into smaller files.`, 413);
  };

  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < ENCODING_SAMPLE_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    count(next.value);
    head.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    headBytes += next.value.byteLength;
  }
  const sample = Buffer.concat(head);
  const notCsv = notCsvReason(sample);
  if (notCsv) throw new UploadRefused(notCsv, 415);
  const { encoding, bomLength } = detectEncoding(sample);
  if (sample.length <= bomLength)
    throw new UploadRefused("The file is empty. Choose a CSV file with a header row and at least one lead.", 422);
  const sampleText = iconv.decode(sample.subarray(bomLength), encoding, { stripBOM: false });
  const delimiter = sniffDelimiter(sampleText, done);

  async function* text(): AsyncGenerator<Buffer | string> {
    const utf8 = encoding === "utf-8";
    const decoder = utf8 ? null : iconv.getDecoder(encoding, { stripBOM: true });
    const pass = (bytes: Buffer): Buffer | string => {
      // UTF-8 goes to csv-parse as bytes (it parses bytes), sparing a decode and re-encode.
      if (!decoder) {
        if (bytes.includes(0)) throw new UploadRefused(NUL_IN_TEXT, 415);
        return bytes;
      }
      const decoded = decoder.write(bytes);
      if (decoded.includes("\0")) throw new UploadRefused(NUL_IN_TEXT, 415);
      return decoded;
    };
    yield pass(utf8 ? sample.subarray(bomLength) : sample);
    while (!done) {
      const next = await chunks.next();
      if (next.done) break;
      count(next.value);
      yield pass(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    }
    const rest = decoder?.end();
    if (rest) yield rest;
  }

  let endedInsideQuotes = false;
  const parser = new Parser({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  // With skip_records_with_error, csv-parse reports a record it cannot finish here instead
  // of failing the stream. The only one we accept is the file ending inside quotes: the
  // record's finished fields plus the open value (csv-parse's state, read synchronously as
  // it reports, during its flush) become the last record it pushes.
  parser.on("skip", (error: CsvError) => {
    if (error.code === "CSV_QUOTE_NOT_CLOSED") {
      const { state } = parser as unknown as ParserState;
      endedInsideQuotes = true;
      parser.push([...state.record, state.field.toString("utf8")]);
    } else if (error.code === "CSV_MAX_RECORD_SIZE") {
      parser.destroy(
        new UploadRefused(
          `Line ${error.lines} starts a value longer than ${megabytes(MAX_RECORD_BYTES)}: a quote (") is probably opened and never closed there. Fix that line and upload the file again.`,
          422,
        ),
      );
    } else {
      parser.destroy(error);
    }
  });
  // Errors reach the consumer of the records (pipeline destroys the parser with the first one).
  pipeline(Readable.from(text(), { objectMode: false }), parser).catch(() => {});

  return { encoding, delimiter, records: parser, bytesRead: () => bytesRead, endedInsideQuotes: () => endedInsideQuotes };
}
