import iconv from "iconv-lite";
import { detectAll } from "jschardet";

/** How the file's bytes become text: an iconv-lite encoding name and the length of its byte order mark. */
export type DetectedEncoding = { encoding: string; bomLength: number };

/** How much of the file's start the detection looks at. */
export const ENCODING_SAMPLE_BYTES = 64 * 1024;

/**
 * A byte order mark decides; otherwise UTF-16 without a BOM shows itself by a NUL in every
 * other byte, text that is valid UTF-8 is UTF-8 (ASCII included), and the rest is a legacy
 * encoding (guessLegacyEncoding).
 */
export function detectEncoding(sample: Uint8Array): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (isUtf8(sample)) return { encoding: "utf-8", bomLength: 0 };
  return { encoding: guessLegacyEncoding(sample), bomLength: 0 };
}

/** What Excel on a Western Windows writes, and what most legacy CSV files are: the guess that wins a near tie. */
const WESTERN = "windows-1252";
/**
 * How much better another guess must score to be taken over windows-1252, and how much where
 * the sample holds only a few accented letters (fewer than LITTLE_EVIDENCE bytes above ASCII).
 * Measured on lead files of 1 to 200 rows: Western names put another Latin guess (windows-1250,
 * MacLatin2, cp850) at most 1.1 times above windows-1252 once a file has a few dozen accents,
 * and up to 1.7 times with two rows ("Zoë Ångström", "José Núñez"); Hungarian, Turkish, Czech,
 * Polish, Cyrillic, Greek and Chinese names scored 1.2 to 14 times above it (Hungarian and
 * Turkish the least), so a file of a handful of those names may still be read as Western.
 */
const WESTERN_MARGIN = 1.15;
const WESTERN_MARGIN_ON_LITTLE_EVIDENCE = 1.75;
const LITTLE_EVIDENCE = 32;

/**
 * A file that is neither UTF-8 nor UTF-16: jschardet's best guess (its language models) among
 * those iconv-lite reads without a control character or an undecodable byte, windows-1252
 * unless another scores clearly better. chardet, used before, read a few Western names (José
 * Peña, Crème brûlée) as ISO-8859-2, even over 500 rows, and garbled them silently.
 */
function guessLegacyEncoding(sample: Uint8Array): string {
  const bytes = Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength);
  const guesses = detectAll(bytes, { minimumThreshold: 0 }).flatMap((guess) => {
    const encoding = iconvName(guess.encoding);
    return encoding && readsCleanly(bytes, encoding) ? [{ encoding, confidence: guess.confidence }] : [];
  });
  const best = guesses[0];
  if (!best) return WESTERN;
  const western = guesses.find((guess) => guess.encoding === WESTERN);
  const margin = bytes.filter((byte) => byte >= 0x80).length < LITTLE_EVIDENCE ? WESTERN_MARGIN_ON_LITTLE_EVIDENCE : WESTERN_MARGIN;
  return western && western.confidence * margin >= best.confidence ? WESTERN : best.encoding;
}

/** iconv-lite's name for a guess; windows-1252 for its subsets; null for what it cannot read. */
function iconvName(name: string | null): string | null {
  if (!name) return null;
  const lower = name.toLowerCase().replace(/^iso8859-/, "iso-8859-");
  // The sample is not valid UTF-8 (checked before), so a UTF-8 or ASCII guess means a Western file.
  if (lower === "utf-8" || lower === "ascii" || lower === "iso-8859-1") return WESTERN;
  return iconv.encodingExists(lower) ? lower : null;
}

/** No byte the encoding cannot map, and no control character but tab and line ends (a CSV's text has none). */
function readsCleanly(bytes: Buffer, encoding: string): boolean {
  // The last few characters may be one the sample cut in two.
  const text = iconv.decode(bytes, encoding).slice(0, -4);
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/.test(text);
}

/** ASCII text in UTF-16 has a NUL as the high byte of most characters: odd bytes in LE, even ones in BE. */
function utf16WithoutBom(sample: Uint8Array): "utf-16le" | "utf-16be" | null {
  const pairs = Math.min(sample.length, 4096) >> 1;
  if (pairs < 2) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (sample[i] === 0) evenNuls++;
    if (sample[i + 1] === 0) oddNuls++;
  }
  if (oddNuls > pairs * 0.4 && evenNuls < pairs * 0.05) return "utf-16le";
  if (evenNuls > pairs * 0.4 && oddNuls < pairs * 0.05) return "utf-16be";
  return null;
}

/** Valid UTF-8, forgiving a sequence cut off at the end of the sample. */
function isUtf8(sample: Uint8Array): boolean {
  let end = sample.length;
  // Back off over an incomplete multi-byte sequence at the very end (at most 3 bytes).
  for (let back = 1; back <= Math.min(3, sample.length); back++) {
    const byte = sample[sample.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte >= 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (needed > back) end = sample.length - back;
    }
    break;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}
