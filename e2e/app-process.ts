import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

/**
 * `npm start` as an operator runs it, on a data directory of its own, started and stopped by
 * the spec itself: what one start leaves behind is what the next start sees. Uses the build
 * in .next-e2e-prod that the production project's web server makes.
 */
export type AppProcess = {
  url: string;
  /** Everything the launcher printed, banner included. */
  output: () => string;
  /** The app's database, as the service role sees it. */
  sql: postgres.Sql;
  stop: () => Promise<void>;
};

export type AppDataDir = { dir: string; remove: () => Promise<void> };

export async function createDataDir(): Promise<AppDataDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lip-e2e-start-"));
  // mkdtemp makes it private to us; the embedded PostgreSQL runs as its own OS user when root.
  await chmod(dir, 0o755);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const PORT = Number(process.env.E2E_START_PORT ?? 3300);
const PG_PORT = Number(process.env.E2E_START_PG_PORT ?? 54397);

export async function startApp(dataDir: AppDataDir, extraEnv: Record<string, string> = {}): Promise<AppProcess> {
  const url = `http://localhost:${PORT}`;
  const env = appEnv(dataDir, extraEnv);
  // Its own process group, so that stopping it reaches npm, the launcher and Next at once.
  const child = spawn("npm", ["start"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));

  await waitFor(
    () => output.includes("Lead Intelligence Panel is ready"),
    child,
    () => output,
  );
  const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${PG_PORT}/lip`, { max: 2, onnotice: () => {} });
  return {
    url,
    output: () => output,
    sql,
    stop: async () => {
      await sql.end();
      await stopGroup(child);
      // npm may exit before the launcher has stopped PostgreSQL: the next start must not
      // find this one's cluster still running and share it.
      await waitFor(
        async () => !(await answers(PORT)) && !(await answers(PG_PORT)),
        null,
        () => "ports still in use after stop",
      );
    },
  };
}

/** `npm run setup -- …` on the data directory, with the password on standard input. */
export async function runSetupCli(dataDir: AppDataDir, args: string[], password: string): Promise<{ code: number; output: string }> {
  const child = spawn("npm", ["run", "-s", "setup", "--", ...args], { env: appEnv(dataDir), stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(`${password}\n`);
  const code = await new Promise<number>((resolve) => child.once("exit", (c) => resolve(c ?? 1)));
  return { code, output };
}

function appEnv(dataDir: AppDataDir, extraEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
  const url = `http://localhost:${PORT}`;
  return {
    ...process.env,
    // Nothing real, nothing seeded unless the test asks: the production defaults.
    DATABASE_URL: "",
    NEXT_PUBLIC_SUPABASE_URL: "",
    RESEND_API_KEY: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_DEV: "",
    SEED_DEMO_DATA: "",
    LOCAL_OUTBOX_ENABLED: "",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(PORT),
    APP_URL: url,
    DATA_DIR: dataDir.dir,
    EMBEDDED_PG_PORT: String(PG_PORT),
    NEXT_DIST_DIR: ".next-e2e-prod",
    ...extraEnv,
  };
}

async function waitFor(ready: () => boolean | Promise<boolean>, child: ChildProcess | null, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await ready())) {
    if (child && child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`npm start was not ready within two minutes:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 20_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    process.kill(-child.pid!, "SIGINT");
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
