import { existsSync, readFileSync } from "node:fs";

/**
 * Whether `pid` is a running process whose name matches `name`. A PID written to a file by a
 * process that was killed may since have been given to another program (containers start their
 * PIDs low again), or still name a zombie its parent has not reaped: neither is that process.
 */
export function isLiveProcess(pid: number, name: RegExp): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user (the postgres OS user, when we are not root).
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const proc = `/proc/${pid}`;
  if (!existsSync(proc)) return true; // no /proc (macOS): the signal test is all we have
  try {
    // "pid (comm) state ...": the state follows the last ")".
    const stat = readFileSync(`${proc}/stat`, "utf8");
    if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return false;
    return name.test(readFileSync(`${proc}/cmdline`, "utf8").replaceAll("\0", " "));
  } catch {
    return false; // it exited while we looked
  }
}
