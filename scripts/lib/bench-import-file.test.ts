import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { emailKey, normalizeLinkedInUrl } from "@/lib/leads/normalize";
import { APOLLO_HEADER, FLOOR_COLUMNS, writeApolloFile, type WrittenFile } from "./bench-import-file";

/**
 * The benchmark prints `counts_exact` by comparing an import's four counts with the ones the
 * generator declares; these tests recount a generated file independently (parse it, dedupe it
 * by the import's keys) so that a wrong declaration cannot pass as exact.
 */

let dir: string;
let file: WrittenFile;
let records: string[][];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "bench-import-file-"));
  file = await writeApolloFile({ path: path.join(dir, "a.csv"), floorPath: path.join(dir, "a.floor.csv"), rows: 4000, seed: 11 });
  records = parse(await readFile(file.path), { relax_column_count: false }) as string[][];
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const isEmail = (v: string) => z.email().safeParse(v).success;

describe("the generated Apollo export", () => {
  it("has the newer Apollo header and one record per declared row, each as wide as the header", () => {
    expect(records[0]).toEqual([...APOLLO_HEADER]);
    expect(records.length - 1).toBe(file.expected.rows);
    expect(records.every((r) => r.length === APOLLO_HEADER.length)).toBe(true);
  });

  it("declares counts that an independent recount of the parsed file gives", () => {
    const col = (name: string) => APOLLO_HEADER.indexOf(name as (typeof APOLLO_HEADER)[number]);
    const seen = new Set<string>();
    const counts = { inserted: 0, skipped: 0, failed: 0 };
    for (const r of records.slice(1)) {
      const email = r[col("Email")]!.trim();
      const linkedin = normalizeLinkedInUrl(r[col("Person Linkedin Url")]);
      if ((email && !isEmail(email)) || (!email && !linkedin)) {
        counts.failed++;
        continue;
      }
      const keys = [email && `e:${emailKey(email)}`, `a:${r[col("Apollo Contact Id")]}`, linkedin && `l:${linkedin}`].filter(Boolean);
      if (keys.some((k) => seen.has(k as string))) counts.skipped++;
      else counts.inserted++;
      keys.forEach((k) => seen.add(k as string));
    }
    expect({ rows: records.length - 1, updated: 0, ...counts }).toEqual(file.expected);
    // About 5 % each, as the benchmark promises.
    expect(file.expected.failed / file.expected.rows).toBeGreaterThan(0.035);
    expect(file.expected.failed / file.expected.rows).toBeLessThan(0.065);
    expect(file.expected.skipped / file.expected.rows).toBeGreaterThan(0.035);
    expect(file.expected.skipped / file.expected.rows).toBeLessThan(0.065);
  });

  it("writes duplicates in another case with surrounding spaces, and the hard parts of CSV", async () => {
    const text = await readFile(file.path, "utf8");
    expect(text).toMatch(/,  [A-Z][^,]*@[^,]* ,/);
    expect(text).toMatch(/"[^"]*,\n[^"]*"/); // a quoted line break
    expect(text).toMatch(/"VP, Sales"/); // a quoted comma
    expect(text).toMatch(/""The Original""/); // an escaped quote
    expect(text).toMatch(/Zoë|Ångström|Żółć/);
    expect(text).toMatch(/,'\+49 30 \d+,/); // Excel's apostrophe before a phone
  });

  it("writes the floor's COPY input: one valid lead per inserted row", async () => {
    const floor = parse(await readFile(path.join(dir, "a.floor.csv"))) as string[][];
    expect(floor).toHaveLength(file.expected.inserted);
    expect(floor.every((r) => r.length === FLOOR_COLUMNS.length)).toBe(true);
    const emails = floor.map((r) => r[2]!).filter(Boolean);
    expect(emails.every(isEmail)).toBe(true);
    expect(new Set(emails.map(emailKey)).size).toBe(emails.length);
  });

  it("gives two seeds no lead in common, so a second file's rows are all new", async () => {
    const other = await writeApolloFile({ path: path.join(dir, "b.csv"), rows: 2000, seed: 12 });
    const emailsOf = async (p: string) =>
      new Set((parse(await readFile(p), { from_line: 2 }) as string[][]).map((r) => emailKey(r[5]!)).filter(Boolean));
    const a = await emailsOf(file.path);
    const b = await emailsOf(other.path);
    expect([...b].filter((e) => a.has(e))).toEqual([]);
  });
});
