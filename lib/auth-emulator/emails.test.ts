import { describe, expect, it } from "vitest";
import { escapeHtml } from "@/lib/email/html";
import { inviteEmail, magicLinkEmail } from "./emails";

describe("auth email templates", () => {
  const hostile = `https://app.example/auth/confirm?token_hash=a&next="><script>alert(1)</script>`;

  it("escape every interpolated value in the HTML part", () => {
    for (const email of [magicLinkEmail({ link: hostile, code: "<b>1</b>" }), inviteEmail({ link: hostile })]) {
      expect(email.html).not.toContain("<script>");
      expect(email.html).toContain("&quot;&gt;&lt;script&gt;");
    }
    expect(magicLinkEmail({ link: hostile, code: "<b>1</b>" }).html).toContain("&lt;b&gt;1&lt;/b&gt;");
  });

  it("carry the link and the code in the plain-text part", () => {
    const email = magicLinkEmail({ link: "https://app.example/auth/confirm?token_hash=t&type=magiclink&next=%2F", code: "123456" });
    expect(email.text).toContain("https://app.example/auth/confirm?token_hash=t&type=magiclink&next=%2F");
    expect(email.text).toContain("123456");
  });

  it("escapeHtml covers the five characters that matter", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });
});
