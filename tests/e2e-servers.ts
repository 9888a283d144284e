import { readdirSync } from "node:fs";
import path from "node:path";

/** Options of `playwright test` whose value may follow as the next argument. */
const VALUE_OPTIONS = new Set([
  "--project",
  "-c",
  "--config",
  "-g",
  "--grep",
  "-G",
  "--grep-invert",
  "-j",
  "--workers",
  "--reporter",
  "--retries",
  "--timeout",
  "--max-failures",
  "--output",
  "--repeat-each",
  "--shard",
  "--trace",
  "--global-timeout",
  "--browser",
  "--tsconfig",
  "--test-list",
  "--test-list-invert",
  "--ui-host",
  "--ui-port",
]);

/**
 * The fake Apollo an e2e spec starts (lib/integrations/apollo/testing/fake-apollo.ts) listens on
 * the app's port + 20, inside each engineer's range of ports; the app is started pointing there,
 * so no test run ever reaches the real vendor.
 */
export const fakeApolloPort = (appPort: number) => appPort + 20;
export const fakeApolloUrl = (appPort: number) => `http://127.0.0.1:${fakeApolloPort(appPort)}/api/v1`;
/** The fake Instantly (lib/integrations/instantly/testing/fake-instantly.ts): the app's port + 22. */
export const fakeInstantlyPort = (appPort: number) => appPort + 22;
export const fakeInstantlyUrl = (appPort: number) => `http://127.0.0.1:${fakeInstantlyPort(appPort)}/api/v2`;

/** The fake PhantomBuster (API and S3 files on one server) listens on the app's port + 21. */
export const fakePhantomBusterPort = (appPort: number) => appPort + 21;
export const fakePhantomBusterUrls = (appPort: number) => ({
  PHANTOMBUSTER_API_URL: `http://127.0.0.1:${fakePhantomBusterPort(appPort)}/api/v2`,
  PHANTOMBUSTER_S3_URL: `http://127.0.0.1:${fakePhantomBusterPort(appPort)}/s3`,
});

/**
 * The fake OpenAI-compatible model server (lib/ai/testing/fake-openai.ts): the app's port + 23. The
 * e2e app is configured with OPENAI_BASE_URL pointing there, so its AI features are "configured";
 * the run's global setup starts the fake for every spec (e2e/global-setup.ts).
 */
export const fakeOpenAIPort = (appPort: number) => appPort + 23;
export const fakeOpenAIUrl = (appPort: number) => `http://127.0.0.1:${fakeOpenAIPort(appPort)}/v1`;

export const isProductionSpec = (file: string) => file.endsWith(".prod.spec.ts");

/**
 * Which web servers a `playwright test …` command line needs: the dev server for the
 * `chromium` project's specs, the production build for the `production` project's. Both
 * unless the command line narrows it (by --project, or by file filters, which Playwright
 * matches as case-insensitive regular expressions against each spec's path).
 */
export function serversToStart(argv: string[], testDir: string): { dev: boolean; production: boolean } {
  const projects: string[] = [];
  const filters: string[] = [];
  const args = argv[0] === "test" ? argv.slice(1) : argv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith("--project=")) projects.push(arg.slice("--project=".length));
    else if (arg === "--project") projects.push(args[++i] ?? "");
    else if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith("-")) filters.push(arg.replace(/:\d+(:\d+)?$/, ""));
  }

  const specs = readdirSync(testDir)
    .filter((f) => f.endsWith(".spec.ts"))
    .map((f) => path.resolve(testDir, f));
  const selected = filters.length ? specs.filter((file) => filters.some((f) => matches(f, file))) : specs;
  const wantProject = (name: string) => !projects.length || projects.includes(name);
  return {
    dev: wantProject("chromium") && selected.some((f) => !isProductionSpec(f)),
    production: wantProject("production") && selected.some(isProductionSpec),
  };
}

function matches(filter: string, file: string): boolean {
  const literal = /^\/(.*)\/([gi]*)$/.exec(filter);
  try {
    return (literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(filter, "i")).test(file);
  } catch {
    return file.toLowerCase().includes(filter.toLowerCase());
  }
}
