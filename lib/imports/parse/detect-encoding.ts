import chardet from "chardet";
import iconv from "iconv-lite";

/** How the file's bytes become text: an iconv-lite encoding name and the length of its byte order mark. */
export type DetectedEncoding = { encoding: string; bomLength: number };

/** How much of the file's start the detection looks at. */
export const ENCODING_SAMPLE_BYTES = 64 * 1024;

/**
 * A byte order mark decides; otherwise UTF-16 without a BOM shows itself by a NUL in every
 * other byte, text that is valid UTF-8 is UTF-8 (ASCII included: chardet calls a UTF-8
 * sample with only a few accents Latin-1), and the rest is chardet's best guess, with
 * ISO-8859-1 read as windows-1252 (its superset, which is what Excel writes).
 */
export function detectEncoding(sample: Uint8Array): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (isUtf8(sample)) return { encoding: "utf-8", bomLength: 0 };
  return { encoding: fromChardet(chardet.detect(sample)), bomLength: 0 };
}

function fromChardet(name: string | null): string {
  if (!name) return "windows-1252";
  const lower = name.toLowerCase();
  // The sample is not valid UTF-8 (checked before), so a UTF-8 or ASCII guess cannot be right.
  if (lower === "utf-8" || lower === "ascii" || lower === "iso-8859-1") return "windows-1252";
  return iconv.encodingExists(lower) ? lower : "windows-1252";
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
