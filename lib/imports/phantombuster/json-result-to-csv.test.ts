import { describe, expect, it } from "vitest";
import { jsonResultAsCsv } from "./json-result-to-csv";
import { JsonRowsRefused } from "./json-rows";

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, "utf8");
}

describe("jsonResultAsCsv", () => {
  it("says an agent's empty result holds no rows, rather than handing on a file without a header", async () => {
    const refused = await jsonResultAsCsv(bytes("[]"), { maxBytes: 1024 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(JsonRowsRefused);
    expect((refused as Error).message).toBe(
      "The result file holds no rows: the agent's last run found nobody. Run the agent again, then import its result.",
    );
  });

  it("writes a header of every key and one line per row", async () => {
    const converted = await jsonResultAsCsv(bytes('[{"fullName":"Zoë","url":"u1"},{"url":"u2","title":"CTO"}]'), { maxBytes: 1024 });
    let text = "";
    for await (const chunk of converted.csv) text += Buffer.from(chunk as Uint8Array).toString("utf8");
    await converted.dispose();
    expect(text.split(/\r?\n/)[0]).toBe("fullName,url,title");
  });
});
