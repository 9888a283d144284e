import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Parser, type CsvError } from "csv-parse";
import iconv from "iconv-lite";
import { megabytes, UploadRefused } from "../upload-refused";
import { detectEncoding, ENCODING_SAMPLE_BYTES } from "./detect-encoding";
import { notCsvReason, NUL_IN_TEXT } from "./file-signature";
import { sniffDelimiter, type Delimiter } from "./sniff-delimiter";
import { Utf8Stream, type Utf8Chunk } from "./utf8-stream";

/** Excel's optional first line naming the file's delimiter: `sep=;` (possibly quoted). */
const EXCEL_SEPARATOR_LINE = /^"?sep=([,;\t|])"?(?:\r\n|\n|\r)/i;

/** A record longer than this is refused: in practice a quote opened and never closed early in the file. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** What csv-parse's Parser exposes as `state` ("for backward compatibility"; pinned version, tested). */
type ParserState = { state: { record: string[]; field: { toString(encoding: "utf8"): string } } };

export type OpenedCsv = {
  /**
   * The iconv-lite name of the file's encoding. A file read as UTF-8 whose first non-ASCII
   * byte is not UTF-8 switches to windows-1252 there, so read it again once `records` has ended.
   */
  readonly encoding: string;
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
 * 64 KB, decodes with iconv-lite and parses with csv-parse. A file taken for UTF-8 stays
 * checked to its end (utf8-stream.ts): a Latin-1 file whose first accent comes later switches
 * to windows-1252 there, and a file that mixes UTF-8 with another encoding is refused rather
 * than stored with replacement characters. Quoted values may hold
 * delimiters, doubled quotes and newlines; lines may end in CRLF, LF or a bare CR. Problems
 * of one row never stop the file: a quote inside an unquoted value is kept as written, a row
 * may have any number of fields, and a file that ends inside a quoted value gives the rest as
 * its last record (`endedInsideQuotes`).
 *
 * Empty lines are records (one empty field): they are rows of the file, and the import
 * counts them as skipped empty rows. Excel's `sep=;` first line sets the delimiter and is not a
 * record. The newline that ends the last line is not a record.
 *
 * Throws UploadRefused for a file that is not CSV text (known binary signatures, NUL bytes),
 * is empty, mixes encodings, or grows past `maxBytes`.
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
  const detected = detectEncoding(sample);
  const bomLength = detected.bomLength;
  let encoding = detected.encoding;
  if (sample.length <= bomLength)
    throw new UploadRefused("The file is empty. Choose a CSV file with a header row and at least one lead.", 422);
  const sampleText = iconv.decode(sample.subarray(bomLength), encoding, { stripBOM: false });
  // Excel (in locales whose list separator is ";") may write a first line `sep=;` naming the
  // delimiter, to be read by Excel and skipped; otherwise that line became the file's header.
  const excelSep = EXCEL_SEPARATOR_LINE.exec(sampleText);
  const delimiter = excelSep ? (excelSep[1] as Delimiter) : sniffDelimiter(sampleText, done);

  async function* text(): AsyncGenerator<Buffer | string> {
    // UTF-8 goes to csv-parse as bytes (it parses bytes), sparing a decode and re-encode, but
    // checked as it goes: the sample that chose UTF-8 is only the file's start.
    const utf8 = encoding === "utf-8" ? new Utf8Stream() : null;
    let decoder = utf8 ? null : iconv.getDecoder(encoding, { stripBOM: true });
    const decode = (bytes: Buffer): string => {
      const decoded = decoder!.write(bytes);
      if (decoded.includes("\0")) throw new UploadRefused(NUL_IN_TEXT, 415);
      return decoded;
    };
    function* pass(bytes: Buffer): Generator<Buffer | string> {
      if (decoder) {
        yield decode(bytes);
        return;
      }
      yield* passChecked(utf8!.next(bytes));
    }
    function* passChecked(checked: Utf8Chunk): Generator<Buffer | string> {
      if (checked.kind === "utf-8") {
        for (const bytes of checked.bytes) {
          if (bytes.includes(0)) throw new UploadRefused(NUL_IN_TEXT, 415);
          yield bytes;
        }
      } else if (checked.kind === "legacy") {
        // Everything before was ASCII, the same in windows-1252 (what Excel writes), so the
        // rows already read stay as they are.
        encoding = "windows-1252";
        decoder = iconv.getDecoder(encoding);
        yield decode(checked.bytes);
      } else {
        throw new UploadRefused(
          `The file mixes text encodings: it starts as UTF-8, but further on a value is not UTF-8 (near "${checked.context.toString("utf8")}"), so it cannot be read without garbling names. Open it in a spreadsheet, save it as CSV UTF-8 and upload it again.`,
          422,
        );
      }
    }
    yield* pass(utf8 ? sample.subarray(bomLength) : sample);
    while (!done) {
      const next = await chunks.next();
      if (next.done) break;
      count(next.value);
      yield* pass(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    }
    const cutOff = decoder ? null : utf8!.end();
    if (cutOff) yield* passChecked(cutOff);
    const rest = decoder?.end();
    if (rest) yield rest;
  }

  let endedInsideQuotes = false;
  const parser = new Parser({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // Any of the three ends a line, mixed in one file (csv-parse otherwise keeps the first it
    // meets and reads the others as part of a value); CRLF is tried first.
    record_delimiter: ["\r\n", "\n", "\r"],
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    ...(excelSep ? { from_line: 2 } : {}),
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

  return {
    get encoding() {
      return encoding;
    },
    delimiter,
    records: parser,
    bytesRead: () => bytesRead,
    endedInsideQuotes: () => endedInsideQuotes,
  };
}
