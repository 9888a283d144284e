import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { formulaSafeCsv } from "./formula-safe-csv";

async function written(rows: unknown[][]): Promise<string[][]> {
  const csv = formulaSafeCsv();
  const chunks: Buffer[] = [];
  csv.on("data", (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
  const ended = new Promise((resolve, reject) => csv.on("end", resolve).on("error", reject));
  for (const row of rows) csv.write(row);
  csv.end();
  await ended;
  return parse(Buffer.concat(chunks).toString("utf8"), { bom: true, relax_column_count: true });
}

describe("formulaSafeCsv", () => {
  it("prefixes a formula behind leading blanks, line breaks or quotes, as well as one at the start", async () => {
    const cells = [" =2+5", "\n=2+5", '"=1+1', "\u00a0=1+1", "  @SUM(A1)", " \uFF1D1+1", "=1+1", "+1", "@x", "\t=1"];
    // Invisible format characters in front: zero-width space and joiner, byte-order mark, direction marks, soft hyphen.
    cells.push("\u200b=1+1", "\u200d@SUM(A1)", "\ufeff=1", "\u200e\u202e+1", "\u00ad-1+1", " \u2060=1");
    // Blanks that are not Cf (combining grapheme joiner, variation selector, Hangul and braille fillers); the other forms first.
    cells.push("\u034f=1", "\ufe0f=1", "\u3164=1", "\u2800=1", "\ufe66HYPERLINK(1)", "\ufe62 1", "\uff1d1+1");
    const [row] = await written([cells]);
    expect(row).toEqual(cells.map((cell) => `'${cell}`));
  });

  it("leaves ordinary text and numbers alone", async () => {
    const [row] = await written([["Amélie Dupont", "a = b", "Sales, EMEA", -5, 42, "", " plain", "\u200bzero-width", "\u22125 %"]]);
    expect(row).toEqual(["Amélie Dupont", "a = b", "Sales, EMEA", "-5", "42", "", " plain", "\u200bzero-width", "\u22125 %"]);
  });
});
