import { describe, expect, it } from "vitest";
import { ZCreateApiKey } from "@/lib/api-keys/schemas";
import { ZWorkspaceName } from "@/lib/workspaces/schemas";
import { isShowable, terminalSafe } from "./showable";

describe("names that show as typed", () => {
  it.each([
    ["an escape sequence", "Acme\u001b]0;pwned\u0007\u001b[2J"],
    ["a right-to-left override", "CRM\u202Etxt.exe"],
    ["a line break", "CRM\nsync"],
    ["a line separator", "CRM\u2028sync"],
  ])("refuses %s in a workspace's name and an API key's", (_, name) => {
    expect(isShowable(name)).toBe(false);
    expect(ZWorkspaceName.safeParse(name).success).toBe(false);
    expect(ZCreateApiKey.safeParse({ name, scope: "read", expiresInDays: null }).success).toBe(false);
  });

  it("keeps accents, other scripts and emoji", () => {
    for (const name of ["Équipe Zoë", "東京 Outbound", "Ops 🚀", "Müller & Söhne, GmbH"]) {
      expect(ZWorkspaceName.safeParse(name)).toMatchObject({ success: true, data: name });
    }
  });

  it("prints what a terminal would act on as its escape, and the rest as it is", () => {
    expect(terminalSafe("Acme\u001b[2J\rfake line")).toBe("Acme\\u001b[2J\\u000dfake line");
    expect(terminalSafe("Zoë's CRM\u202E")).toBe("Zoë's CRM\\u202e");
  });
});
