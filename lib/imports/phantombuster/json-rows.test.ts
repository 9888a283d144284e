import { describe, expect, it } from "vitest";
import { cellOf, csvLine, parseRow, splitJsonArray } from "./json-rows";

async function elements(...chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const element of splitJsonArray(
    (async function* () {
      yield* chunks;
    })(),
  ))
    out.push(element);
  return out;
}

describe("splitJsonArray", () => {
  it("yields each element of the top-level array, however the text is cut into chunks", async () => {
    const text = '\ufeff [ {"a":"x, ]y","b":[1,{"c":"}"}]}, {"a":"\\"q\\""} ,{}]\n';
    const whole = await elements(text);
    expect(whole).toEqual(['{"a":"x, ]y","b":[1,{"c":"}"}]}', '{"a":"\\"q\\""}', "{}"]);
    // Every cut point, one character at a time included.
    expect(await elements(...text.split(""))).toEqual(whole);
    for (let cut = 1; cut < text.length; cut++) expect(await elements(text.slice(0, cut), text.slice(cut))).toEqual(whole);
  });

  it("reads an empty list as no rows", async () => {
    expect(await elements("[]")).toEqual([]);
    expect(await elements(" [ \n ] ")).toEqual([]);
  });

  it("refuses what is not one JSON list, with a reason", async () => {
    await expect(elements('{"a":1}')).rejects.toThrow("The result file is not a JSON list of rows.");
    await expect(elements('[{"a":1}, {"a":')).rejects.toThrow("The result file ends before its JSON list does: it may have been cut off.");
    await expect(elements("[1,,2]")).rejects.toThrow(/an empty element/);
    await expect(elements("[] x")).rejects.toThrow("The result file has text after its JSON list.");
  });
});

describe("rows and cells", () => {
  it("takes objects only and writes values as CSV cells", () => {
    expect(parseRow('{"a":1}')).toEqual({ a: 1 });
    expect(() => parseRow("[1]")).toThrow(/other than rows/);
    expect(() => parseRow("{nope")).toThrow("The result file is not valid JSON.");
    expect([null, undefined, "t", 3, false, { x: 1 }, [1, 2]].map(cellOf)).toEqual(["", "", "t", "3", "false", '{"x":1}', "[1,2]"]);
    expect(csvLine(["a", 'b "c"', "d,e", "f\ng"])).toBe('a,"b ""c""","d,e","f\ng"\n');
  });
});
