import { describe, expect, it } from "vitest";
import { csvDownload } from "./csv-download";

const disposition = (fileName: string) => csvDownload("", fileName, 0).headers.get("content-disposition");

/** What a browser saves the file as: the RFC 5987 form, decoded. */
const savedAs = (header: string | null) => decodeURIComponent(/; filename\*=UTF-8''([^;\s]+)$/.exec(header ?? "")![1]!);

describe("csvDownload", () => {
  it("answers the body as a UTF-8 CSV attachment, never cached, with its row count", async () => {
    const response = csvDownload("\uFEFFName\nAda\n", "leads-acme-outbound-2026-06-01.csv", 1);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual({
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="leads-acme-outbound-2026-06-01.csv"; filename*=UTF-8''leads-acme-outbound-2026-06-01.csv`,
      "cache-control": "no-store",
      "x-row-count": "1",
    });
    // The body goes out as given, its BOM included (text() would drop it).
    expect(Buffer.from(await response.arrayBuffer()).toString("utf8")).toBe("\uFEFFName\nAda\n");
  });

  it("keeps an accented name whole in filename* and gives an ASCII stand-in in filename", () => {
    const header = disposition("Zoë – relance Île-de-France.csv");
    expect(header).toBe(
      `attachment; filename="Zo_ _ relance _le-de-France.csv"; filename*=UTF-8''Zo%C3%AB%20%E2%80%93%20relance%20%C3%8Ele-de-France.csv`,
    );
    expect(savedAs(header)).toBe("Zoë – relance Île-de-France.csv");
    expect(disposition("📈 pipeline.csv")).toBe(`attachment; filename="_ pipeline.csv"; filename*=UTF-8''%F0%9F%93%88%20pipeline.csv`);
  });

  it("keeps quotes, backslashes, semicolons and newlines from ending the value or splitting its parameters", () => {
    const header = disposition('a "quoted"; name\\x\nsecond.csv');
    expect(header).toBe(`attachment; filename="a _quoted__ name_x_second.csv"; filename*=UTF-8''a%20%22quoted%22%3B%20name%5Cx_second.csv`);
    expect(savedAs(header)).toBe('a "quoted"; name\\x_second.csv');
    // encodeURIComponent leaves these four alone; RFC 5987 wants them encoded.
    expect(disposition("O'Brien (copy)*.csv")).toBe(
      `attachment; filename="O'Brien (copy)*.csv"; filename*=UTF-8''O%27Brien%20%28copy%29%2A.csv`,
    );
  });

  it("never lets a file name add a header", () => {
    const response = csvDownload("x\n", "x.csv\r\nSet-Cookie: session=stolen\r\n\r\n<script>", 1);
    expect([...response.headers.keys()].sort()).toEqual(["cache-control", "content-disposition", "content-type", "x-row-count"]);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="x.csv__Set-Cookie: session=stolen____<script>"; filename*=UTF-8''x.csv__Set-Cookie%3A%20session%3Dstolen____%3Cscript%3E`,
    );
    for (const value of response.headers.values()) expect(value).not.toMatch(/[\r\n\0]/);
  });

  it("answers a name with a lone surrogate instead of throwing", () => {
    expect(disposition("\uD800x.csv")).toBe(`attachment; filename="_x.csv"; filename*=UTF-8''%EF%BF%BDx.csv`);
  });
});
