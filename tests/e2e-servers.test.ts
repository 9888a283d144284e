import path from "node:path";
import { describe, expect, it } from "vitest";
import { serversToStart } from "./e2e-servers";

const e2e = path.resolve(import.meta.dirname, "../e2e");
const run = (...args: string[]) => serversToStart(["test", ...args], e2e);

describe("which e2e web servers a command line needs", () => {
  it("starts both for the whole suite", () => {
    expect(run()).toEqual({ dev: true, production: true });
  });

  it("starts only the dev server for a dev spec, and only the production build for a .prod spec", () => {
    expect(run("e2e/auth.spec.ts")).toEqual({ dev: true, production: false });
    expect(run("e2e/auth.spec.ts:12", "--workers", "1")).toEqual({ dev: true, production: false });
    expect(run("e2e/takeover.prod.spec.ts")).toEqual({ dev: false, production: true });
  });

  it("follows --project, and a filter that matches specs of both kinds", () => {
    expect(run("--project=production")).toEqual({ dev: false, production: true });
    expect(run("--project", "chromium")).toEqual({ dev: true, production: false });
    expect(run("takeover")).toEqual({ dev: true, production: true });
    expect(run("--grep", "prod", "auth")).toEqual({ dev: true, production: false });
  });
});
