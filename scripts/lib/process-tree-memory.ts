import { readFileSync, readdirSync } from "node:fs";

/**
 * Memory of a process and everything it started, from /proc (Linux): each process's resident
 * set now (VmRSS) and its peak since it started (VmHWM). A sampler keeps the largest resident
 * set seen per process and for the whole tree while something runs.
 */

export type ProcessMemory = { pid: number; name: string; rssKb: number; hwmKb: number };

/** `VmRSS:	  123456 kB` and `VmHWM:` of a /proc/<pid>/status text, in kB (0 when absent). */
export function parseStatusMemory(status: string): { rssKb: number; hwmKb: number } {
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
      if (list) children.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // the process ended
  }
  return children;
}

/** What a process of the app is, from its command line: Next's server, the launcher (with the job executor), tsx's relay, npm. */
function nameOf(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const line = args.join(" ");
    if (line.includes("next-server") || line.includes("next/dist/bin/next")) return "Next";
    if (line.includes("tsx/dist/cli") || line.includes(".bin/tsx")) return "tsx relay";
    if (line.includes("launch.ts")) return "launcher + job executor";
    if (line.startsWith("npm")) return "npm";
    return line.slice(0, 60);
  } catch {
    return "?";
  }
}

export function processTreeMemory(root: number): ProcessMemory[] {
  const out: ProcessMemory[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      const memory = parseStatusMemory(readFileSync(`/proc/${pid}/status`, "utf8"));
      out.push({ pid, name: nameOf(pid), ...memory });
    } catch {
      continue;
    }
    queue.push(...childrenOf(pid));
  }
  return out;
}

export type MemorySampler = {
  stop: () => { treePeakKb: number; processes: ProcessMemory[] };
};

/** Samples the tree every `everyMs`; stop() gives the largest tree total and, per process, its largest VmRSS seen and its VmHWM. */
export function sampleProcessTree(root: number, everyMs = 200): MemorySampler {
  let treePeakKb = 0;
  const peaks = new Map<number, ProcessMemory>();
  const sample = () => {
    const tree = processTreeMemory(root);
    treePeakKb = Math.max(
      treePeakKb,
      tree.reduce((sum, p) => sum + p.rssKb, 0),
    );
    for (const p of tree) {
      const seen = peaks.get(p.pid);
      peaks.set(p.pid, { ...p, rssKb: Math.max(p.rssKb, seen?.rssKb ?? 0) });
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { treePeakKb, processes: [...peaks.values()] };
    },
  };
}
