import { describe, expect, it } from "vitest";
import { uploadFileName } from "./file-name";

describe("uploadFileName", () => {
  it("keeps the last part of the name, trimmed, accents and spaces and all", () => {
    expect(uploadFileName("C:\\Users\\zoë\\Leads – März 2026.csv ")).toBe("Leads – März 2026.csv");
    expect(uploadFileName("exports/apollo/contacts.csv")).toBe("contacts.csv");
  });

  it("refuses a name it cannot keep as sent: empty, over 255 characters, or with a control character or a bidirectional override", () => {
    for (const name of [
      "",
      "   ",
      "folder/",
      `${"a".repeat(252)}.csv`,
      "leads\u0000.csv",
      "leads\n.csv",
      "\u001b[31mleads.csv",
      "leads\u007f.csv",
      // Read backwards on screen (the first shows as "invoiceexe.csv"), or broken over lines.
      "invoice\u202evsc.exe",
      "a\u2028b.csv",
    ]) {
      expect(uploadFileName(name), JSON.stringify(name)).toBeNull();
    }
  });
});
