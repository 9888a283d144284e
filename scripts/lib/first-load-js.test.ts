import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPageRoutes, measurePages, pageScripts } from "./first-load-js";

/** A build directory shaped as Next.js 16 writes it, with the files a page's HTML loads. */
let dist: string;
const chunk = (name: string, body: string) => writeFile(path.join(dist, "static", "chunks", name), body);
const gz = (body: string) => gzipSync(Buffer.from(body), { level: 9 }).length;
const FILES: Record<string, string> = {
  "runtime.js": "runtime();".repeat(50),
  "react.js": "react();".repeat(80),
  "polyfill.js": "polyfill();".repeat(500),
  "root-layout.js": "layout();".repeat(20),
  "app-layout.js": "shell();".repeat(30),
  "leads.js": "leads();".repeat(40),
  "not-found.js": "notFound();".repeat(40),
};

beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), "first-load-"));
  await mkdir(path.join(dist, "static", "chunks"), { recursive: true });
  await mkdir(path.join(dist, "server", "app", "(app)", "leads", "(list)"), { recursive: true });
  for (const [name, body] of Object.entries(FILES)) await chunk(name, body);
  await writeFile(
    path.join(dist, "build-manifest.json"),
    JSON.stringify({
      polyfillFiles: ["static/chunks/polyfill.js"],
      rootMainFiles: ["static/chunks/react.js", "static/chunks/runtime.js"],
    }),
  );
  await writeFile(
    path.join(dist, "app-path-routes-manifest.json"),
    JSON.stringify({ "/(app)/leads/(list)/page": "/leads", "/api/health/route": "/api/health" }),
  );
  const entries = {
    "[project]/app/layout": ["static/chunks/root-layout.js"],
    "[project]/app/not-found": ["static/chunks/root-layout.js", "static/chunks/not-found.js"],
    "[project]/app/(app)/layout": ["static/chunks/root-layout.js", "static/chunks/app-layout.js"],
    "[project]/app/(app)/leads/(list)/page": ["static/chunks/root-layout.js", "static/chunks/app-layout.js", "static/chunks/leads.js"],
  };
  await writeFile(
    path.join(dist, "server", "app", "(app)", "leads", "(list)", "page_client-reference-manifest.js"),
    `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST["/(app)/leads/(list)/page"] = ${JSON.stringify({ clientModules: {}, entryJSFiles: entries })};`,
  );
});
afterAll(() => rm(dist, { recursive: true, force: true }));

describe("first-load JS from a build's manifests", () => {
  it("lists pages by route, leaving route handlers out", async () => {
    expect([...(await listPageRoutes(dist))]).toEqual([["/leads", "/(app)/leads/(list)/page"]]);
  });

  it("counts the runtime's root files and the chunks of the page and its layouts once, without the noModule polyfills or the not-found boundary", async () => {
    expect(await pageScripts(dist, "/(app)/leads/(list)/page")).toEqual([
      "static/chunks/react.js",
      "static/chunks/runtime.js",
      "static/chunks/root-layout.js",
      "static/chunks/app-layout.js",
      "static/chunks/leads.js",
    ]);
    const [leads] = await measurePages(dist, ["/leads"]);
    const expected = ["react.js", "runtime.js", "root-layout.js", "app-layout.js", "leads.js"].reduce((sum, f) => sum + gz(FILES[f]!), 0);
    expect(leads!.gzipBytes).toBe(expected);
  });

  it("names the not-found page's own chunks, which some pages load beside theirs", async () => {
    const [leads] = await measurePages(dist, ["/leads"]);
    expect(leads!.notFoundOnly).toEqual(["static/chunks/not-found.js"]);
  });

  it("names the pages it knows when asked for one the build lacks", async () => {
    await expect(measurePages(dist, ["/nowhere"])).rejects.toThrow("the build has no page /nowhere (pages: /leads)");
  });
});
