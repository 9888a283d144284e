/**
 * One row of lead_import_rows in PostgreSQL's COPY text format: tab-separated columns, and
 * `fields` as an array literal whose every element is double-quoted (so "", " " and "NULL"
 * stay the strings they are). Two escapings stack: the array literal's (\ and " take a
 * backslash) and then COPY's (a backslash doubles; tab, newline and carriage return become
 * \t \n \r). Values never hold NUL: the reader refuses such files.
 */
export function copyRowLine(importId: string, workspaceId: string, rowNumber: number, fields: readonly string[]): string {
  let array = "{";
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) array += ",";
    array += quoteElement(fields[i]!);
  }
  return `${importId}\t${workspaceId}\t${rowNumber}\t${array}}\n`;
}

const SPECIAL = /[\\"\t\n\r]/;
const SPECIALS = /[\\"\t\n\r]/g;
const ESCAPED: Record<string, string> = {
  "\\": "\\\\\\\\",
  '"': '\\\\"',
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};

function quoteElement(value: string): string {
  if (!SPECIAL.test(value)) return `"${value}"`;
  return `"${value.replace(SPECIALS, (char) => ESCAPED[char]!)}"`;
}
