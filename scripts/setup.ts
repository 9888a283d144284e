/**
 * `npm run setup -- --email you@company.com --workspace "Your team" [--name "Your Name"]`:
 * the first-run setup without a browser. Creates the first workspace and its admin, exactly
 * as /setup does (lib/setup/first-run.ts), and only while the installation has no user.
 * The password is read from SETUP_ADMIN_PASSWORD, else from standard input (first line), else
 * asked for twice at the terminal, so it never appears in the shell's history or `ps`.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { z } from "zod";
import { serviceDb } from "@/db";
import { embeddedAuthFetch } from "@/lib/auth-emulator/in-process-fetch";
import { EnvError, isEmbeddedAuth } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { completeFirstRunSetup } from "@/lib/setup/first-run";
import { ZFirstRunSetup } from "@/lib/setup/schemas";
import { createSupabaseAdminClient } from "@/lib/supabase/admin";
import { prepareEnvironment, shutdownOnSignals } from "./lib/prepare";

const USAGE = 'usage: npm run setup -- --email you@company.com --workspace "Your team" [--name "Your Name"]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: "string" }, workspace: { type: "string" }, name: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help || !values.email || !values.workspace) {
    console.error(USAGE);
    return 2;
  }
  const password = await readPassword();
  const parsed = ZFirstRunSetup.safeParse({ email: values.email, workspaceName: values.workspace, fullName: values.name, password });
  if (!parsed.success) {
    for (const [field, messages] of Object.entries(z.flattenError(parsed.error).fieldErrors)) {
      console.error(`  ${field}: ${(messages as string[]).join(" ")}`);
    }
    return 2;
  }

  const prepared = await prepareEnvironment({ dev: false });
  shutdownOnSignals(prepared.shutdown);
  try {
    const authAdmin = createSupabaseAdminClient(isEmbeddedAuth() ? { fetch: embeddedAuthFetch } : {});
    const result = await completeFirstRunSetup(serviceDb(), authAdmin, parsed.data);
    console.log(`Created the workspace "${result.workspaceName}" and its admin ${result.email}. Log in at ${process.env.APP_URL}/login.`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await prepared.shutdown();
  }
}

async function readPassword(): Promise<string> {
  if (process.env.SETUP_ADMIN_PASSWORD) return process.env.SETUP_ADMIN_PASSWORD;
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) return line;
    return "";
  }
  const first = await askHidden("Password for the admin (at least 8 characters): ");
  const again = await askHidden("Repeat the password: ");
  if (first !== again) {
    console.error("The two passwords differ.");
    process.exit(2);
  }
  return first;
}

/** A terminal prompt that does not echo what is typed. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let prompted = false;
    output._writeToOutput = (s: string) => {
      if (!prompted) {
        process.stdout.write(s);
        prompted = true;
      }
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
  });
}

main()
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error(error instanceof EnvError ? error.message : error);
    process.exit(1);
  });
