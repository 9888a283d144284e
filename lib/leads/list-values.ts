/**
 * The values of a list parameter of the lead table (`industry=Software,Retail`): separated by
 * commas, and a value that holds a comma (LinkedIn's "Leisure, Travel & Tourism", "Korea,
 * Republic of") or a double quote in double quotes, a quote inside doubled, as in a CSV row.
 * Links written before quoting read the same: without quotes every comma separates. Browser
 * code imports this (the filter box), so it stays free of server modules.
 */

/** The values, trimmed, empty ones left out. An unclosed quote runs to the end. */
export function splitListValues(text: string): string[] {
  const values: string[] = [];
  let i = 0;
  while (i <= text.length) {
    while (text[i] === " " || text[i] === "\t") i++;
    let value = "";
    if (text[i] === '"') {
      i++;
      for (; i < text.length; i++) {
        if (text[i] !== '"') {
          value += text[i];
        } else if (text[i + 1] === '"') {
          value += '"';
          i++;
        } else {
          break;
        }
      }
      // Past the closing quote, up to the next comma (anything there is kept, as typed).
      const end = text.indexOf(",", i);
      value += text.slice(i + 1, end === -1 ? text.length : end);
      i = end === -1 ? text.length + 1 : end + 1;
    } else {
      const end = text.indexOf(",", i);
      value = text.slice(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length + 1 : end + 1;
    }
    const trimmed = value.trim();
    if (trimmed) values.push(trimmed);
  }
  return values;
}

/** The values as one parameter: quoted only where a value needs it, so plain lists stay as they were. */
export function joinListValues(values: readonly string[], separator = ","): string {
  return values.map((v) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(separator);
}
