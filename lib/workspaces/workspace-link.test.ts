import { describe, expect, it } from "vitest";
import { linkInWorkspace } from "./workspace-link";

const id = "0b9f7e0e-5d1c-4a53-9a43-2f3c8f2e9b11";

describe("linkInWorkspace", () => {
  it("adds the workspace to the path, keeping its own query and fragment", () => {
    expect(linkInWorkspace("/approvals/abc", id)).toBe(`/approvals/abc?workspace=${id}`);
    expect(linkInWorkspace("/leads?status=new#top", id)).toBe(`/leads?status=new&workspace=${id}#top`);
  });
});
