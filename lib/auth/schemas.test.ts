import { describe, expect, it } from "vitest";
import { ZNewPassword } from "./schemas";

describe("a new password", () => {
  it("fits bcrypt's 72 bytes, counted in UTF-8 as the auth server counts them, and says so on the field", () => {
    expect(ZNewPassword.safeParse("a".repeat(72)).success).toBe(true);
    expect(ZNewPassword.safeParse("é".repeat(36)).success).toBe(true);
    // 30 emoji are 30 characters but 120 bytes: the auth server refused them with an error the page could not place.
    const emoji = ZNewPassword.safeParse("😀".repeat(30));
    expect(emoji.success).toBe(false);
    expect(emoji.error?.issues[0]?.message).toMatch(/fewer with accents or emoji/);
    expect(ZNewPassword.safeParse("é".repeat(37)).success).toBe(false);
    expect(ZNewPassword.safeParse("short").error?.issues[0]?.message).toBe("Use at least 8 characters.");
  });
});
