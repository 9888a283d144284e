import type { ExecutorLogger } from "./types";

/** The run fails at once with this error, without retries (step limits, unusable input). */
export class RunFatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunFatalError";
  }
}

export const never = <T>() => new Promise<T>(() => {});

/** What a step's tracked work ends with: its value, or PAUSED when the run must let go. */
export const PAUSED = Symbol("paused");
export type Tracked = { value: unknown } | typeof PAUSED;

/** The `logger` a handler receives: the executor's, each line prefixed with the function and run. */
export function scopedLogger(log: ExecutorLogger, functionId: string, runId: string) {
  const prefix = `[${functionId} ${runId.slice(0, 8)}]`;
  return {
    debug: (...args: unknown[]) => log.debug(`${prefix} ${args.map(String).join(" ")}`),
    info: (...args: unknown[]) => log.info(`${prefix} ${args.map(String).join(" ")}`),
    warn: (...args: unknown[]) => log.warn(`${prefix} ${args.map(String).join(" ")}`),
    error: (...args: unknown[]) => log.error(`${prefix} ${args.map(String).join(" ")}`),
  };
}

export function unsupportedProxy(path: string): unknown {
  return new Proxy(() => {}, {
    get: (_target, key) => (typeof key === "string" ? unsupportedProxy(`${path}.${key}`) : undefined),
    apply: () => {
      throw new RunFatalError(`\`${path}\` is not supported by the local executor; run the app against Inngest to use it.`);
    },
  });
}
