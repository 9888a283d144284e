import { describe, expect, it } from "vitest";
import { IMPORT_MAX_BYTES } from "@/lib/imports/types";
import { refusalBeforeSending } from "./upload-limits";

describe("the upload card's check before sending", () => {
  it("refuses an empty file and one over the limit, and lets the rest go to the server", () => {
    expect(refusalBeforeSending({ size: 0 }, IMPORT_MAX_BYTES)).toMatch(/^The file is empty\./);
    expect(refusalBeforeSending({ size: IMPORT_MAX_BYTES + 1 }, IMPORT_MAX_BYTES)).toBe(
      "The file is 300.0 MB; the limit is 300 MB. Split it into smaller files.",
    );
    expect(refusalBeforeSending({ size: 350 * 1024 * 1024 }, IMPORT_MAX_BYTES)).toMatch(/^The file is 350\.0 MB/);
    expect(refusalBeforeSending({ size: IMPORT_MAX_BYTES }, IMPORT_MAX_BYTES)).toBeNull();
  });
});
