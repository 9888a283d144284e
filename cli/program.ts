import { Command, CommanderError, Option } from "commander";
import { ZodError } from "zod";
import { AppError } from "@/lib/errors";
import { createWorkspaceCommand, listWorkspacesCommand } from "./commands/workspace";
import { enrichCommand } from "./commands/enrich";
import { exportLeadsCommand } from "./commands/export-leads";
import { importCsvCommand } from "./commands/import-csv";
import { instantlySyncCommand } from "./commands/instantly-sync";
import { cancelRunCommand, listRunsCommand, replayRunCommand } from "./commands/runs";
import { CliError, type CliIo } from "./context";
import type { JobRunner } from "./follow";

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * The operators' command line (`npm run cli -- <command>`): each command calls the same
 * services as the app, as a named member where the work is someone's (--as), so roles, RLS and
 * the audit log apply as they do in the browser. Returns the exit code.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  jobs: JobRunner,
  { beforeCommand }: { beforeCommand?: () => Promise<void> } = {},
): Promise<number> {
  // A followed run that did not complete exits 1, so cron notices.
  let code = 0;
  const program = new Command("lip")
    .description("Lead Intelligence Panel: operator commands against the configured database.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    // Only a command commander has accepted (no typo, no missing option, not --help), and whose
    // own input is right, starts or migrates the database.
    .hook("preAction", async (_program, command) => {
      await inputChecks.get(command)?.();
      await beforeCommand?.();
    });
  /** What a command reads and checks before anything starts (by the command commander runs). */
  const inputChecks = new Map<Command, () => Promise<void>>();

  const workspace = program.command("workspace").description("Workspaces.");
  workspace
    .command("list")
    .description("Every workspace: its slug (what -w takes), id, members and leads.")
    .action(async () => listWorkspacesCommand(io));
  let password: string | undefined;
  const create = workspace
    .command("create")
    .description("Create a workspace and its first admin (an existing account, or a new one).")
    .requiredOption("--name <name>", "the workspace's name")
    .requiredOption("--admin <email>", "its first admin's email")
    .option("--password-stdin", "read a new admin's password from standard input (generated and printed once when left out)")
    .addOption(new Option("--password <password>").hideHelp())
    .option("--full-name <name>", "a new admin's full name")
    .action(async (o: { name: string; admin: string; fullName?: string }) =>
      createWorkspaceCommand(io, { workspaceName: o.name, adminEmail: o.admin, password, fullName: o.fullName }),
    );
  inputChecks.set(create, async () => {
    password = await passwordOf(io, create.opts());
  });

  program
    .command("import <file>")
    .description("Import a lead CSV through the same pipeline as an upload (columns mapped by the detected preset).")
    .requiredOption("-w, --workspace <slug>", "the workspace (slug or id)")
    .option("--as <email>", "the member importing (owner of the new leads, in the audit log)")
    .addOption(new Option("--on-match <rule>", "an existing lead is").choices(["skip", "fill_empty", "overwrite"]).default("skip"))
    .option("--tag <tag>", "a tag for every imported lead (repeatable)", collect, [])
    .option("--unowned", "leave the new leads without an owner", false)
    .option("--no-wait", "start it and print its id, without following it")
    .action(async (file: string, o) => {
      const result = await importCsvCommand(io, jobs, file, o);
      code = result === "completed" || !o.wait ? 0 : 1;
    });

  program
    .command("enrich")
    .description("AI icebreakers, summaries and fit scores for a filter or an import: estimates, and spends only with --yes.")
    .requiredOption("-w, --workspace <slug>", "the workspace (slug or id)")
    .option("--as <email>", "the member running it")
    .option("--filter <query>", 'the leads page\'s query string, e.g. "status=new&country=DE"')
    .option("--import <id>", "the leads an import wrote")
    .option("--homepage", "fetch each company's public homepage for the model", false)
    .option("--yes", "start it at the printed estimate", false)
    .option("--no-wait", "start it and print its id, without following it")
    .action(async (o) => {
      const result = await enrichCommand(io, jobs, o);
      code = result === "completed" || !o.yes || !o.wait ? 0 : 1;
    });

  program
    .command("export")
    .description("Export leads as the formula-safe CSV the leads page downloads.")
    .requiredOption("-w, --workspace <slug>", "the workspace (slug or id)")
    .option("--as <email>", "the member exporting (their role must allow exports)")
    .option("--filter <query>", "the leads page's query string (filters, sort, columns)", "")
    .option("-o, --out <file>", "write to this file (replaced) instead of stdout")
    .action(async (o) => exportLeadsCommand(io, o));

  const instantly = program.command("instantly").description("Instantly.");
  instantly
    .command("sync")
    .description("Sync Instantly now (as Settings → Integrations → Sync now) and follow it.")
    .requiredOption("-w, --workspace <slug>", "the workspace (slug or id)")
    .option("--as <email>", "the admin asking")
    .option("--no-wait", "ask for it without following it")
    .action(async (o) => {
      const result = await instantlySyncCommand(io, jobs, o);
      code = result === "other" ? 1 : 0;
    });

  const runs = program.command("runs").description("Background job runs (the Jobs page).");
  runs
    .command("list")
    .description("The workspace's job runs, newest first.")
    .requiredOption("-w, --workspace <slug>", "the workspace (slug or id)")
    .option("--status <status>", "only runs in this status (e.g. failed)")
    .option("--function <id>", "only runs of this function")
    .option("--limit <n>", "how many", "50")
    .action(async (o) => listRunsCommand(io, o));
  runs
    .command("replay <runId>")
    .description("Run a job again from scratch with the same event, and follow it.")
    .requiredOption("-w, --workspace <slug>", "the workspace (slug or id)")
    .option("--no-wait", "queue it without following it")
    .action(async (runId: string, o) => {
      const result = await replayRunCommand(io, jobs, runId, o);
      code = result === "completed" || !o.wait ? 0 : 1;
    });

  runs
    .command("cancel <runId>")
    .description("Cancel a run in progress, as the Jobs page's Cancel (a step already executing finishes).")
    .requiredOption("-w, --workspace <slug>", "the workspace (slug or id)")
    .action(async (runId: string, o) => cancelRunCommand(io, runId, o));

  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof AppError && error.existingId) {
      // The record the conflict is with (a run doing the same work, a lead holding the email): for the next command.
      io.err(`${error.message}\nIts id: ${error.existingId}\n`);
      return 1;
    }
    if (error instanceof CliError || error instanceof AppError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    if (error instanceof ZodError) {
      io.err(`${error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n")}\n`);
      return 1;
    }
    throw error;
  }
}

/**
 * A password on the command line is in the process list for everyone on the machine and in the
 * shell's history: refused with how to pipe it instead. From standard input, its first line.
 */
async function passwordOf(io: CliIo, o: { passwordStdin?: boolean; password?: string }): Promise<string | undefined> {
  if (o.password !== undefined) {
    throw new CliError(
      "A password given with --password is seen by every user of this machine (the process list) and kept in your shell history. " +
        "Pipe it in instead: printf '%s\\n' \"$PASSWORD\" | npm run -s cli -- workspace create … --password-stdin, or leave it out to have one generated.",
    );
  }
  if (!o.passwordStdin) return undefined;
  const password = ((await io.input?.()) ?? "").split(/\r?\n/)[0] ?? "";
  if (password === "") throw new CliError("--password-stdin read no password: pipe it in on the first line of standard input.");
  return password;
}
