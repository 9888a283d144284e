/**
 * Files people pick by mistake instead of a CSV, told apart by their first bytes. Each
 * message says what the file is and what to do instead.
 */
const SIGNATURES: { bytes: number[]; message: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    message:
      "This file is a ZIP archive, not a CSV file. If it is an .xlsx Excel workbook, save it as CSV (File › Save as › CSV UTF-8) and upload the .csv file.",
  },
  {
    bytes: [0x50, 0x4b, 0x05, 0x06],
    message: "This file is an empty ZIP archive, not a CSV file. Export your leads as CSV and upload that file.",
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    message: "This file is an .xls Excel workbook, not a CSV file. Save it as CSV (File › Save as › CSV UTF-8) and upload the .csv file.",
  },
  {
    bytes: [0x25, 0x50, 0x44, 0x46, 0x2d],
    message: "This file is a PDF document, not a CSV file. Export your leads as CSV and upload that file.",
  },
  { bytes: [0x89, 0x50, 0x4e, 0x47], message: "This file is a PNG image, not a CSV file. Export your leads as CSV and upload that file." },
  { bytes: [0xff, 0xd8, 0xff], message: "This file is a JPEG image, not a CSV file. Export your leads as CSV and upload that file." },
  { bytes: [0x47, 0x49, 0x46, 0x38], message: "This file is a GIF image, not a CSV file. Export your leads as CSV and upload that file." },
  { bytes: [0x1f, 0x8b], message: "This file is compressed (gzip). Decompress it and upload the CSV file inside." },
];

/** Why these first bytes are not a CSV file, or null when they may be one. */
export function notCsvReason(start: Uint8Array): string | null {
  for (const { bytes, message } of SIGNATURES) {
    if (bytes.every((byte, i) => start[i] === byte)) return message;
  }
  return null;
}

export const NUL_IN_TEXT =
  "This file contains NUL bytes, so it is not a text CSV file (perhaps a spreadsheet or another binary format). Export your leads as CSV and upload that file.";
