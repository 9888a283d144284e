import { readFile } from "node:fs/promises";
import path from "node:path";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";

/**
 * The first-load JavaScript of an App Router page, read from a production build's manifests
 * (Next.js 16, Turbopack): the scripts its HTML loads are the runtime's root files
 * (build-manifest.json `rootMainFiles`; the noModule polyfills are left out, modern browsers
 * skip them) and the client chunks of the page and of each layout above it (the page's client
 * reference manifest, `entryJSFiles`). The not-found and global-error boundaries listed there
 * load only when they render. Each file counts once, gzipped as a server would send it.
 */

/** Issue 10's goal for /leads, held for every page a member opens daily (kB of gzip). */
export const FIRST_LOAD_BUDGET_KB = 170;
/** The pages a member opens every day: the shell every page shares, and each list's own code. */
export const BUDGET_PAGES = ["/leads", "/leads/[leadId]", "/companies", "/campaigns", "/imports", "/jobs", "/settings", "/login"];

export type PageFirstLoad = {
  route: string;
  appPath: string;
  scripts: string[];
  gzipBytes: number;
  /** Chunks of app/not-found.tsx beyond the page's own: some pages' HTML loads them too, so the figure would be low. */
  notFoundOnly: string[];
};

type ClientManifest = { entryJSFiles?: Record<string, string[]> };

/** Every page route of the build (app-path-routes-manifest.json), route → app path, routes handlers left out. */
export async function listPageRoutes(distDir: string): Promise<Map<string, string>> {
  const manifest = JSON.parse(await readFile(path.join(distDir, "app-path-routes-manifest.json"), "utf8")) as Record<string, string>;
  const routes = new Map<string, string>();
  for (const [appPath, route] of Object.entries(manifest)) if (appPath.endsWith("/page")) routes.set(route, appPath);
  return routes;
}

/** The scripts one page's HTML loads, in the order the runtime names them. */
export async function pageScripts(distDir: string, appPath: string): Promise<string[]> {
  return (await readPageChunks(distDir, appPath)).scripts;
}

async function readPageChunks(distDir: string, appPath: string): Promise<{ scripts: string[]; entryJSFiles: Record<string, string[]> }> {
  const build = JSON.parse(await readFile(path.join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const source = await readFile(path.join(distDir, "server", "app", `${appPath}_client-reference-manifest.js`), "utf8");
  // The file assigns globalThis.__RSC_MANIFEST[appPath]: run it in a context of its own.
  const sandbox = { globalThis: {} as { __RSC_MANIFEST?: Record<string, ClientManifest> } };
  runInNewContext(source, sandbox);
  const client = sandbox.globalThis.__RSC_MANIFEST?.[appPath];
  if (!client?.entryJSFiles) throw new Error(`no client reference manifest entry for ${appPath}`);
  // "/(app)/leads/(list)/page" is drawn inside "/layout", "/(app)/layout", "/(app)/leads/layout"…
  // (those that exist), each listed under its own entry.
  const segments = appPath.split("/").slice(1, -1);
  const layouts = segments.map((_, i) => `[project]/app/${[...segments.slice(0, i), "layout"].join("/")}`);
  const page = `[project]/app${appPath}`;
  if (!client.entryJSFiles[page]) throw new Error(`the client reference manifest of ${appPath} has no entry for the page itself`);
  const entries = [...layouts, `[project]/app/${[...segments, "layout"].join("/")}`, page];
  const entryJSFiles = client.entryJSFiles;
  return { scripts: [...new Set([...build.rootMainFiles, ...entries.flatMap((entry) => entryJSFiles[entry] ?? [])])], entryJSFiles };
}

/** Gzipped size of each file once, summed (files shared by pages are read once). */
export async function gzipTotal(distDir: string, files: string[], cache = new Map<string, number>()): Promise<number> {
  let total = 0;
  for (const file of files) {
    let size = cache.get(file);
    if (size === undefined) {
      size = gzipSync(await readFile(path.join(distDir, file))).length;
      cache.set(file, size);
    }
    total += size;
  }
  return total;
}

export async function measurePages(distDir: string, routes: string[]): Promise<PageFirstLoad[]> {
  const all = await listPageRoutes(distDir);
  const cache = new Map<string, number>();
  const pages: PageFirstLoad[] = [];
  for (const route of routes) {
    const appPath = all.get(route);
    if (!appPath) throw new Error(`the build has no page ${route} (pages: ${[...all.keys()].join(", ")})`);
    const { scripts, entryJSFiles } = await readPageChunks(distDir, appPath);
    // A client module used by app/not-found.tsx alone gets a chunk that a page's HTML may load
    // too: Next.js 16.4 serves each client module from the first entry of the manifest that names
    // it (measured: /settings loaded the not-found chunk, /leads did not).
    const notFoundOnly = (entryJSFiles["[project]/app/not-found"] ?? []).filter((file) => !scripts.includes(file));
    pages.push({ route, appPath, scripts, gzipBytes: await gzipTotal(distDir, scripts, cache), notFoundOnly });
  }
  return pages;
}
