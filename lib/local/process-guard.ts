import { spawn } from "node:child_process";

export type ProcessGuard = { release: () => void };

/**
 * The launcher starts PostgreSQL and Next each in a process group of its own, so that a
 * terminal's Ctrl-C reaches only the launcher, which stops them in order: the job executor and
 * the outbox first (they still talk to both), then Next, then the database. That also puts them
 * out of reach of what ends the launcher's group without asking (`kill -9` of the group, a
 * crash, an out-of-memory kill): they would run on, orphaned, holding their ports and files.
 *
 * So a small shell, in a group of its own too, holds a pipe from this process. When this process
 * ends without releasing the guard, the pipe closes and the shell sends `signal` to the process
 * (or its whole group), if that PID still runs a program whose command line contains `name`.
 */
export function guardProcess(options: { pid: number; name: string; signal: "INT" | "KILL"; group?: boolean }): ProcessGuard {
  const script = 'read -r said; [ "$said" = released ] || { ps -p "$1" -o args= | grep -q -- "$2" && kill -s "$3" -- "$4"; }';
  const target = options.group ? `-${options.pid}` : String(options.pid);
  const shell = spawn("/bin/sh", ["-c", script, "guard", String(options.pid), options.name, options.signal, target], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  shell.on("error", () => {}); // no /bin/sh: the launcher alone stops what it started, as before
  shell.stdin?.on("error", () => {}); // a shell that is gone already has nothing left to do
  shell.unref();
  // The open pipe must not keep this process alive: scripts end when their work is done.
  (shell.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return { release: () => shell.stdin?.end("released\n") };
}
