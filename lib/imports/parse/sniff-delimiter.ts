export const DELIMITERS = [",", ";", "\t", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** How many records of the sample the sniffing compares. */
const SNIFF_RECORDS = 50;

/**
 * The delimiter that splits the header and the records after it into the same number of
 * fields most often, counting only outside double quotes (a quoted value may hold any of
 * them, and newlines). The header must contain it at least once. Ties go to the more common
 * delimiter (comma, then semicolon, tab, pipe); a file of one column reads as comma-separated.
 * `complete` says the sample is the whole file: otherwise its last record may be cut and is
 * left out.
 */
export function sniffDelimiter(sample: string, complete: boolean): Delimiter {
  const records = countPerRecord(sample, complete);
  if (records.length === 0) return ",";
  const [header, ...rest] = records;
  let best: Delimiter = ",";
  let bestScore = -1;
  for (const [index, delimiter] of DELIMITERS.entries()) {
    const expected = header![index]!;
    if (expected === 0) continue;
    // Blank lines say nothing about the delimiter.
    const informative = rest.filter((counts) => !counts.blank);
    const consistent = informative.filter((counts) => counts[index] === expected).length;
    const score = informative.length === 0 ? 1 : consistent / informative.length;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

type Counts = number[] & { blank: boolean };

function countPerRecord(sample: string, complete: boolean): Counts[] {
  const records: Counts[] = [];
  let counts = fresh();
  let quoted = false;
  for (let i = 0; i < sample.length && records.length < SNIFF_RECORDS; i++) {
    const char = sample[i]!;
    if (char === '"') {
      // An escaped quote ("") toggles twice: the state is right after either character.
      quoted = !quoted;
      counts.blank = false;
    } else if (quoted) {
      continue;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && sample[i + 1] === "\n") i++;
      records.push(counts);
      counts = fresh();
    } else {
      const index = DELIMITERS.indexOf(char as Delimiter);
      if (index >= 0) counts[index]!++;
      counts.blank = false;
    }
  }
  if (complete && !counts.blank && records.length < SNIFF_RECORDS) records.push(counts);
  return records;
}

function fresh(): Counts {
  return Object.assign(
    DELIMITERS.map(() => 0),
    { blank: true },
  );
}
