import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { UploadRefused } from "../upload-refused";
import { MAX_RECORD_BYTES, openCsv } from "./read-csv";

/** The file as the route receives it: in chunks of `size` bytes (1 puts every boundary mid-character). */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(file: string | Uint8Array, options: { chunkSize?: number; maxBytes?: number } = {}) {
  const bytes = typeof file === "string" ? Buffer.from(file, "utf8") : file;
  const opened = await openCsv(chunked(bytes, options.chunkSize ?? 65536), { maxBytes: options.maxBytes ?? 10 * 1024 * 1024 });
  const rows: string[][] = [];
  for await (const record of opened.records) rows.push(record as string[]);
  return {
    encoding: opened.encoding,
    delimiter: opened.delimiter,
    bytesRead: opened.bytesRead(),
    rows,
    endedInsideQuotes: opened.endedInsideQuotes(),
  };
}

async function refusal(file: string | Uint8Array, options: { chunkSize?: number; maxBytes?: number } = {}): Promise<UploadRefused> {
  const error = await read(file, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UploadRefused);
  return error as UploadRefused;
}

const BOTH_SIZES = [1, 65536];

describe("reading a CSV file as it streams", () => {
  it.each(BOTH_SIZES)("drops a UTF-8 byte order mark from the first header (chunks of %i bytes)", async (chunkSize) => {
    const { rows, encoding } = await read("\uFEFFEmail,Name\nzoe@example.com,Zoë\n", { chunkSize });
    expect(encoding).toBe("utf-8");
    expect(rows).toEqual([
      ["Email", "Name"],
      ["zoe@example.com", "Zoë"],
    ]);
  });

  it.each([
    ["CRLF", "\r\n"],
    ["LF", "\n"],
    ["a bare CR", "\r"],
  ])("ends lines with %s", async (_, eol) => {
    const { rows } = await read(["Email,Name", "a@x.test,Ann", "b@x.test,Bob"].join(eol) + eol, { chunkSize: 1 });
    expect(rows).toEqual([
      ["Email", "Name"],
      ["a@x.test", "Ann"],
      ["b@x.test", "Bob"],
    ]);
  });

  it.each(BOTH_SIZES)(
    "ends each line with whichever of CRLF, LF and a bare CR it has, mixed in one file (chunks of %i bytes)",
    async (chunkSize) => {
      const file = 'Email,Name\r\na@x.test,Ann\nb@x.test,Bob\rc@x.test,"Cy\r\nLine"\r\n\r\nd@x.test,Di\n\ne@x.test,Ed\r';
      const { rows } = await read(file, { chunkSize });
      expect(rows).toEqual([
        ["Email", "Name"],
        ["a@x.test", "Ann"],
        ["b@x.test", "Bob"],
        ["c@x.test", "Cy\r\nLine"],
        [""],
        ["d@x.test", "Di"],
        [""],
        ["e@x.test", "Ed"],
      ]);
    },
  );

  it.each([
    [";", "Email;Name;Revenue\na@x.test;Ann;1,5\nb@x.test;Bob;2,25\n"],
    ["\t", "Email\tName\tNote\na@x.test\tAnn\tx, y; z\nb@x.test\tBob\t|\n"],
    ["|", "Email|Name|Note\na@x.test|Ann|x, y\nb@x.test|Bob|a; b\n"],
    [",", 'Email,Name,Note\na@x.test,Ann,"x; y|z"\nb@x.test,Bob,"\t"\n'],
  ])("sniffs the delimiter %j and splits on it only", async (delimiter, file) => {
    const result = await read(file);
    expect(result.delimiter).toBe(delimiter);
    expect(result.rows.map((r) => r.length)).toEqual([3, 3, 3]);
    expect(result.rows[1]![2]).toBe(file.split("\n")[1]!.split(delimiter)[2]!.replaceAll('"', ""));
  });

  it.each(BOTH_SIZES)("keeps delimiters, doubled quotes and newlines inside quoted values (chunks of %i bytes)", async (chunkSize) => {
    const file = 'Name,Title,Note\n"Lefèvre, Renée","Head of ""Growth""","line one\nline two\r\nline three"\nBob,CTO,"x"\n';
    const { rows } = await read(file, { chunkSize });
    expect(rows).toEqual([
      ["Name", "Title", "Note"],
      ["Lefèvre, Renée", 'Head of "Growth"', "line one\nline two\r\nline three"],
      ["Bob", "CTO", "x"],
    ]);
  });

  it("keeps a quote inside an unquoted value, or after a closing quote, as written", async () => {
    const { rows } = await read('Name,Note\nAnn,5" screen\nBob,"quoted" then more\n');
    expect(rows.slice(1)).toEqual([
      ["Ann", '5" screen'],
      ["Bob", '"quoted" then more'],
    ]);
  });

  it("reads a Latin-1 / Windows-1252 file (as Excel writes it) as windows-1252", async () => {
    const file = iconv.encode("Name;City;Price\nZoë Ångström;Malmö;€ 5\nJosé Núñez;Málaga;10\n", "windows-1252");
    const result = await read(file, { chunkSize: 3 });
    expect(result.encoding).toBe("windows-1252");
    expect(result.rows).toEqual([
      ["Name", "City", "Price"],
      ["Zoë Ångström", "Malmö", "€ 5"],
      ["José Núñez", "Málaga", "10"],
    ]);
  });

  it.each([1, 1000, 65536])(
    "reads a windows-1252 file whose first accent lies past the sample as windows-1252 from there (chunks of %i bytes)",
    async (chunkSize) => {
      const filler = "a@x.test;Ann;Paris\n".repeat(5000);
      const file = iconv.encode(`Email;Name;City\n${filler}zoe@x.test;Zoë Ångström;Malmö\njose@x.test;José Núñez;€ 5\n`, "windows-1252");
      expect(file.indexOf(0xeb)).toBeGreaterThan(64 * 1024);
      const result = await read(file, { chunkSize });
      expect(result.encoding).toBe("windows-1252");
      expect(result.rows).toHaveLength(5003);
      expect(result.rows.slice(-2)).toEqual([
        ["zoe@x.test", "Zoë Ångström", "Malmö"],
        ["jose@x.test", "José Núñez", "€ 5"],
      ]);
      expect(result.rows.flat().join("")).not.toContain("\uFFFD");
    },
  );

  it("reads a file whose only non-ASCII byte is a windows-1252 letter cut off by the file's end", async () => {
    const file = Buffer.concat([Buffer.from("Email,Name\n" + "a@x.test,Ann\n".repeat(6000) + "b@x.test,Andr"), Buffer.from([0xe9])]);
    const result = await read(file, { chunkSize: 4096 });
    expect(result.encoding).toBe("windows-1252");
    expect(result.rows.at(-1)).toEqual(["b@x.test", "André"]);
  });

  it("refuses a file that is UTF-8 at its start and windows-1252 further on, showing where", async () => {
    const file = Buffer.concat([
      Buffer.from("Email,Name\nzoe@x.test,Zoë\n" + "a@x.test,Ann\n".repeat(6000)),
      iconv.encode("jose@x.test,José\nb@x.test,Bob\n", "windows-1252"),
    ]);
    const error = await refusal(file, { chunkSize: 1000 });
    expect(error.status).toBe(422);
    expect(error.message).toBe(
      'The file mixes text encodings: it starts as UTF-8, but further on a value is not UTF-8 (near "jose@x.test,Jos\uFFFD"), so it cannot be read without garbling names. Open it in a spreadsheet, save it as CSV UTF-8 and upload it again.',
    );
  });

  it.each([
    ["utf-16le", "\uFEFF"],
    ["utf-16be", "\uFEFF"],
    ["utf-16le", ""],
  ])("reads a %s file (BOM %j), even cut into odd chunks", async (encoding, bom) => {
    const file = iconv.encode(`${bom}Email\tName\r\nzoe@example.com\tZoë 😀\r\nłukasz@example.com\tŁukasz\r\n`, encoding, {
      addBOM: false,
    });
    const result = await read(file, { chunkSize: 3 });
    expect(result.encoding).toBe(encoding);
    expect(result.delimiter).toBe("\t");
    expect(result.rows).toEqual([
      ["Email", "Name"],
      ["zoe@example.com", "Zoë 😀"],
      ["łukasz@example.com", "Łukasz"],
    ]);
  });

  it("reads a UTF-8 file whose only accent lies past the sample, and splits no character between chunks", async () => {
    const filler = "a@x.test,Ann\n".repeat(6000);
    const { rows, encoding } = await read(`Email,Name\n${filler}zoe@x.test,Zoë 😀\n`, { chunkSize: 1000 });
    expect(encoding).toBe("utf-8");
    expect(rows).toHaveLength(6002);
    expect(rows.at(-1)).toEqual(["zoe@x.test", "Zoë 😀"]);
  });

  it("counts empty lines as rows of one empty value, but not the newline that ends the file", async () => {
    const { rows } = await read("Email,Name\n\na@x.test,Ann\n \n,\nb@x.test,Bob\n\n");
    expect(rows).toEqual([["Email", "Name"], [""], ["a@x.test", "Ann"], [" "], ["", ""], ["b@x.test", "Bob"], [""]]);
  });

  it("keeps the fields of a row with too many or too few values as written", async () => {
    const { rows } = await read("Email,Name,Title\na@x.test,Ann\nb@x.test,Bob,CTO,extra,more\nc@x.test,Cy,CEO\n");
    expect(rows.slice(1)).toEqual([
      ["a@x.test", "Ann"],
      ["b@x.test", "Bob", "CTO", "extra", "more"],
      ["c@x.test", "Cy", "CEO"],
    ]);
  });

  it("takes the delimiter from Excel's `sep=` first line and reads the header after it", async () => {
    for (const line of ["sep=;", '"sep=;"', "SEP=;"]) {
      const { delimiter, rows } = await read(`${line}\r\nEmail;Name\r\na@x.test;Ann, the first\r\n`);
      expect(delimiter).toBe(";");
      expect(rows).toEqual([
        ["Email", "Name"],
        ["a@x.test", "Ann, the first"],
      ]);
    }
  });

  it("keeps blank and duplicate header names as written", async () => {
    const { rows } = await read("Email,,Name,Email, \na@x.test,1,Ann,b@x.test,2\n");
    expect(rows[0]).toEqual(["Email", "", "Name", "Email", " "]);
    expect(rows[1]).toHaveLength(5);
  });

  it("reads the last row of a file without a final newline", async () => {
    const { rows } = await read("Email,Name\na@x.test,Ann\nb@x.test,Bob", { chunkSize: 5 });
    expect(rows.at(-1)).toEqual(["b@x.test", "Bob"]);
    expect(rows).toHaveLength(3);
  });

  it.each(BOTH_SIZES)(
    "gives the rest of a file that ends inside a quoted value as one last row, marked (chunks of %i bytes)",
    async (chunkSize) => {
      const { rows, endedInsideQuotes } = await read(
        'Email,Name,Note\na@x.test,Ann,ok\nb@x.test,"Bob","never closed, with ""quotes""\nand,more\n',
        {
          chunkSize,
        },
      );
      expect(rows).toEqual([
        ["Email", "Name", "Note"],
        ["a@x.test", "Ann", "ok"],
        ["b@x.test", "Bob", 'never closed, with "quotes"\nand,more\n'],
      ]);
      expect(endedInsideQuotes).toBe(true);
      expect((await read("Email\na@x.test\n")).endedInsideQuotes).toBe(false);
    },
  );

  it("refuses a quoted value that runs on for more than a megabyte instead of holding it", async () => {
    const error = await refusal(`Email,Note\na@x.test,"${"x".repeat(MAX_RECORD_BYTES + 10)}`);
    expect(error.status).toBe(422);
    expect(error.message).toMatch(/^Line 2 starts a value longer than 1 MB: a quote \(\"\) is probably opened and never closed there/);
  });

  it.each([
    ["a PNG image", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], /PNG image, not a CSV file/],
    ["a JPEG image", [0xff, 0xd8, 0xff, 0xe0, 0, 16], /JPEG image/],
    ["a GIF image", [...Buffer.from("GIF89a")], /GIF image/],
    ["a PDF", [...Buffer.from("%PDF-1.7\n")], /PDF document/],
    ["an .xlsx workbook (ZIP)", [0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0], /\.xlsx Excel workbook, save it as CSV/],
    ["an .xls workbook", [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0], /\.xls Excel workbook/],
  ])("refuses %s by its first bytes", async (_, bytes, message) => {
    const error = await refusal(new Uint8Array([...bytes, ...Buffer.from("Email,Name\na@x.test,Ann\n")]));
    expect(error.status).toBe(415);
    expect(error.message).toMatch(message);
  });

  it("refuses NUL bytes in the text, even far past the sample", async () => {
    const first = await refusal(Buffer.from("Email,Name\na@x.test,A\0nn\n"));
    expect(first.message).toMatch(/contains NUL bytes, so it is not a text CSV file/);
    const late = await refusal(Buffer.concat([Buffer.from("Email,Name\n" + "a@x.test,Ann\n".repeat(10000)), Buffer.from([0, 1, 2])]));
    expect(late.status).toBe(415);
  });

  it.each([
    ["nothing", new Uint8Array()],
    ["only a byte order mark", new Uint8Array([0xef, 0xbb, 0xbf])],
  ])("refuses a file of %s as empty", async (_, bytes) => {
    const error = await refusal(bytes);
    expect(error.status).toBe(422);
    expect(error.message).toBe("The file is empty. Choose a CSV file with a header row and at least one lead.");
  });

  it("refuses a file once more bytes than the limit have arrived, and reads no further", async () => {
    const file = Buffer.from("Email,Name\n" + "a@x.test,Ann\n".repeat(1000));
    const error = await refusal(file, { maxBytes: 5000, chunkSize: 1000 });
    expect(error.status).toBe(413);
    expect(error.message).toBe("The file is larger than 0 MB: split it into smaller files.");
    expect((await read(file, { maxBytes: file.length })).rows).toHaveLength(1001);
  });
});
