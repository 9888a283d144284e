import { durationToMs, type InngestFunction, type StandardSchemaV1 } from "inngest";
import { parseCron, type CronSchedule } from "./cron";
import { matchToExpression, parseExpression, parseKeyExpression, type Equality } from "./expressions";

/**
 * A function as the executor runs it: the very object served to Inngest, and the named
 * handler that was passed to `inngest.createFunction` (the SDK keeps its copy private).
 */
export type LocalFunction = { fn: InngestFunction.Any; handler: (ctx: never) => unknown };

type AnyHandler = (ctx: unknown) => unknown;

export type RegisteredFunction = {
  id: string;
  name: string;
  kind: "main" | "failure";
  handler: AnyHandler;
  retries: number;
  triggers: { event: string; filter?: Equality[]; schema?: StandardSchemaV1 }[];
  crons: CronSchedule[];
  /**
   * `fn`: the limit holds per function (and key value); `account`: shared by every function
   * whose key has the same value (Inngest's account scope), e.g. two functions that call the
   * same vendor account.
   */
  concurrency?: { limit: number; keyPath?: string[]; scope: "fn" | "account" };
  throttle?: Throttle;
  cancelOn: CancelRule[];
  /** Set on a main function that has an `onFailure` handler. */
  failureFunctionId?: string;
};

/**
 * Inngest's `throttle`: at most `limit` run starts per `periodMs`, evenly spaced (one every
 * periodMs / limit), with `burst` more allowed at once after a quiet spell; runs over the limit
 * wait in order (FIFO) and start later, none is dropped. It governs starts only: a run already
 * under way (a wake-up, a retry) is never held back by it. One limit per value of `keyPath`.
 */
export type Throttle = { limit: number; periodMs: number; burst: number; keyPath?: string[] };

export type CancelRule = { functionId: string; event: string; expression: string; equalities: Equality[]; timeoutMs?: number };

export type Registry = {
  functions: Map<string, RegisteredFunction>;
  /** Functions triggered by each event name. */
  byEvent: Map<string, RegisteredFunction[]>;
  /** cancelOn rules by the name of the cancelling event. */
  cancelByEvent: Map<string, CancelRule[]>;
  crons: { fn: RegisteredFunction; schedule: CronSchedule }[];
};

/** The SDK's default: three retries after the first attempt. */
export const DEFAULT_RETRIES = 3;

const SUPPORTED_OPTIONS = new Set(["id", "name", "description", "triggers", "retries", "concurrency", "throttle", "cancelOn", "onFailure"]);
const UNSUPPORTED_TOOLS = /\b(step\s*\.\s*(?:invoke|ai|fetch|waitForSignal|sendSignal|realtime)|group\s*\.\s*[A-Za-z]+|defer\s*\()/g;

export class JobConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The local executor cannot run these functions as written:\n${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        "Change the function, or run the app against Inngest (set INNGEST_DEV=1 with a dev server, or INNGEST_EVENT_KEY).",
    );
    this.name = "JobConfigError";
  }
}

/** Inngest's limit of triggers per function. */
export const MAX_TRIGGERS = 10;

export function buildRegistry(functions: readonly LocalFunction[]): Registry {
  const problems: string[] = [];
  const registry: Registry = { functions: new Map(), byEvent: new Map(), cancelByEvent: new Map(), crons: [] };
  for (const { fn, handler } of functions) {
    const entry = registerOne(fn, handler as AnyHandler, problems);
    if (!entry) continue;
    for (const e of [entry, ...failureEntryOf(fn, entry, problems)]) {
      if (registry.functions.has(e.id)) problems.push(`two functions have the id "${e.id}"`);
      registry.functions.set(e.id, e);
    }
    // Once per event name, however many of its triggers name it (each with its own `if`): one run per event.
    for (const name of new Set(entry.triggers.map((t) => t.event))) push(registry.byEvent, name, entry);
    for (const rule of entry.cancelOn) push(registry.cancelByEvent, rule.event, rule);
    for (const schedule of entry.crons) registry.crons.push({ fn: entry, schedule });
  }
  if (problems.length > 0) throw new JobConfigError(problems);
  return registry;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function registerOne(fn: InngestFunction.Any, handler: AnyHandler, problems: string[]): RegisteredFunction | undefined {
  const opts = fn.opts as Record<string, unknown> & { id: string };
  const id = opts.id;
  const where = `function "${id}"`;
  if (typeof handler !== "function") {
    problems.push(`${where} has no handler`);
    return undefined;
  }
  const internal = (fn as unknown as Record<string, unknown>)["fn"];
  if (typeof internal === "function" && internal !== handler) {
    problems.push(`${where}: the handler listed for it is not the one passed to inngest.createFunction`);
  }
  const client = (fn as unknown as { client?: { options?: { middleware?: unknown[] } } }).client;
  if ((client?.options?.middleware?.length ?? 0) > 0) {
    problems.push(`${where}: its Inngest client has middleware, which the local executor does not run`);
  }
  for (const [key, value] of Object.entries(opts)) {
    if (value !== undefined && !SUPPORTED_OPTIONS.has(key))
      problems.push(`${where} uses \`${key}\`, which the local executor does not support`);
  }
  for (const source of [handler, opts.onFailure]) {
    if (typeof source !== "function") continue;
    for (const [tool] of String(source).matchAll(UNSUPPORTED_TOOLS)) {
      problems.push(`${where} calls \`${tool.replace(/\s+/g, "")}\`, which the local executor does not support`);
    }
  }

  const entry: RegisteredFunction = {
    id,
    name: typeof opts.name === "string" ? opts.name : id,
    kind: "main",
    handler,
    retries: retriesOf(opts.retries, where, problems),
    triggers: [],
    crons: [],
    cancelOn: [],
  };
  const triggers = (opts.triggers as unknown[] | undefined) ?? [];
  // Inngest registers at most this many triggers per function: one more would work here and fail there.
  if (triggers.length > MAX_TRIGGERS) problems.push(`${where} has ${triggers.length} triggers; Inngest allows at most ${MAX_TRIGGERS}`);
  for (const trigger of triggers) addTrigger(entry, trigger, where, problems);
  entry.concurrency = concurrencyOf(opts.concurrency, where, problems);
  entry.throttle = throttleOf(opts.throttle, where, problems);
  for (const rule of (opts.cancelOn as unknown[] | undefined) ?? []) {
    const parsed = cancelRuleOf(id, rule, where, problems);
    if (parsed) entry.cancelOn.push(parsed);
  }
  if (entry.triggers.length === 0 && entry.crons.length === 0) problems.push(`${where} has no event or cron trigger`);
  return entry;
}

function failureEntryOf(fn: InngestFunction.Any, main: RegisteredFunction, problems: string[]): RegisteredFunction[] {
  const onFailure = (fn.opts as { onFailure?: unknown }).onFailure;
  if (onFailure === undefined) return [];
  if (typeof onFailure !== "function") {
    problems.push(`function "${main.id}": onFailure is not a function`);
    return [];
  }
  const id = `${main.id}-failure`;
  main.failureFunctionId = id;
  return [
    {
      ...main,
      id,
      name: `${main.name} (failure)`,
      kind: "failure",
      handler: onFailure as AnyHandler,
      triggers: [],
      crons: [],
      cancelOn: [],
      concurrency: undefined,
      throttle: undefined,
    },
  ];
}

function retriesOf(value: unknown, where: string, problems: string[]): number {
  if (value === undefined) return DEFAULT_RETRIES;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 20) return value;
  problems.push(`${where}: retries must be a whole number from 0 to 20`);
  return DEFAULT_RETRIES;
}

function addTrigger(entry: RegisteredFunction, trigger: unknown, where: string, problems: string[]): void {
  const t = trigger as { event?: unknown; cron?: unknown; if?: unknown; schema?: StandardSchemaV1 };
  if (typeof t.cron === "string") {
    try {
      entry.crons.push(parseCron(t.cron));
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
    return;
  }
  if (typeof t.event !== "string") {
    problems.push(`${where} has a trigger the local executor does not understand`);
    return;
  }
  if (t.event.includes("*")) {
    problems.push(`${where}: wildcard event triggers ("${t.event}") are not supported`);
    return;
  }
  let filter: Equality[] | undefined;
  if (typeof t.if === "string") {
    try {
      filter = parseExpression(t.if);
      if (filter.some((eq) => eq.some((op) => op.kind === "path" && op.side !== "event"))) {
        problems.push(`${where}: a trigger's \`if\` may only refer to event`);
      }
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }
  entry.triggers.push({ event: t.event, filter, schema: t.schema });
}

function concurrencyOf(value: unknown, where: string, problems: string[]): RegisteredFunction["concurrency"] {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length > 1) {
    problems.push(`${where}: only one concurrency limit is supported`);
    return undefined;
  }
  const option = list[0] as number | { limit?: unknown; key?: unknown; scope?: unknown };
  const limit = typeof option === "number" ? option : option.limit;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0) {
    problems.push(`${where}: concurrency limit must be a whole number`);
    return undefined;
  }
  const scope = typeof option === "object" && option.scope !== undefined ? option.scope : "fn";
  if (scope !== "fn" && scope !== "account") {
    problems.push(`${where}: concurrency scope "${String(scope)}" is not supported (only "fn" and "account")`);
    return undefined;
  }
  if (scope === "account" && (typeof option !== "object" || option.key === undefined)) {
    problems.push(`${where}: an account-scoped concurrency limit needs a key (the value its functions share)`);
    return undefined;
  }
  if (limit === 0) return undefined;
  if (typeof option === "object" && option.key !== undefined) {
    try {
      return { limit, keyPath: parseKeyExpression(String(option.key)), scope };
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
      return undefined;
    }
  }
  return { limit, scope: "fn" };
}

/** Inngest accepts periods from one second to seven days. */
const THROTTLE_PERIOD_MS = { min: 1_000, max: 7 * 86_400_000 };

function throttleOf(value: unknown, where: string, problems: string[]): Throttle | undefined {
  if (value === undefined) return undefined;
  const option = value as { limit?: unknown; period?: unknown; burst?: unknown; key?: unknown };
  const count = (v: unknown, min: number) => typeof v === "number" && Number.isInteger(v) && v >= min;
  if (!count(option.limit, 1)) {
    problems.push(`${where}: throttle limit must be a whole number of at least 1`);
    return undefined;
  }
  // Inngest's docs: `limit + burst` runs may start at once, then one every period / limit.
  // Without a burst, `limit` at once (the same as burst 0).
  if (option.burst !== undefined && !count(option.burst, 0)) {
    problems.push(`${where}: throttle burst must be a whole number`);
    return undefined;
  }
  let periodMs: number;
  try {
    periodMs = durationToMs(option.period as string | number, { name: "throttle period" });
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
    return undefined;
  }
  if (!(periodMs >= THROTTLE_PERIOD_MS.min && periodMs <= THROTTLE_PERIOD_MS.max)) {
    problems.push(`${where}: throttle period must be from 1s to 7d`);
    return undefined;
  }
  const throttle: Throttle = { limit: option.limit as number, periodMs, burst: (option.burst as number | undefined) ?? 0 };
  if (option.key === undefined) return throttle;
  try {
    return { ...throttle, keyPath: parseKeyExpression(String(option.key)) };
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
    return undefined;
  }
}

function cancelRuleOf(functionId: string, rule: unknown, where: string, problems: string[]): CancelRule | undefined {
  const r = rule as { event?: unknown; match?: unknown; if?: unknown; timeout?: unknown };
  const event = typeof r.event === "string" ? r.event : (r.event as { name?: unknown } | undefined)?.name;
  if (typeof event !== "string") {
    problems.push(`${where}: a cancelOn entry has no event`);
    return undefined;
  }
  const expression = typeof r.match === "string" ? matchToExpression(r.match) : typeof r.if === "string" ? r.if : undefined;
  try {
    const timeoutMs = r.timeout === undefined ? undefined : durationToMs(r.timeout as string | number, { name: "cancelOn timeout" });
    return { functionId, event, expression: expression ?? "", equalities: expression ? parseExpression(expression) : [], timeoutMs };
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
    return undefined;
  }
}
