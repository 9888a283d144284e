/**
 * The part of Inngest's CEL expressions the local executor evaluates: `==` comparisons
 * joined by `&&`, between paths into `event` / `async` and literals, e.g.
 * `event.data.leadId == async.data.leadId && async.data.kind == 'reply'`. Anything else
 * is refused with a message saying so, at start-up where the expression is known then.
 */

export type Side = "event" | "async";
export type Operand = { kind: "path"; side: Side; path: string[] } | { kind: "literal"; value: unknown };
export type Equality = [Operand, Operand];

export class UnsupportedExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(
      `The local executor cannot evaluate the expression "${expression}": ${reason}. It supports == comparisons of event/async fields and literals joined by &&.`,
    );
    this.name = "UnsupportedExpressionError";
  }
}

const TOKEN =
  /\s*(?:(&&)|(==)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*))\s*/y;

export function parseExpression(expression: string): Equality[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < expression.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(expression);
    if (!match || match[0].length === 0) {
      throw new UnsupportedExpressionError(expression, `unexpected text at "${expression.slice(position, position + 12)}"`);
    }
    tokens.push(match[0].trim());
    position = TOKEN.lastIndex;
  }
  const equalities: Equality[] = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const [left, op, right, joiner] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (left === undefined || op !== "==" || right === undefined) {
      throw new UnsupportedExpressionError(expression, "expected `a == b`");
    }
    if (joiner !== undefined && joiner !== "&&") throw new UnsupportedExpressionError(expression, `unexpected "${joiner}"`);
    if (joiner === "&&" && i + 4 >= tokens.length) throw new UnsupportedExpressionError(expression, "dangling &&");
    equalities.push([operand(expression, left), operand(expression, right)]);
  }
  if (equalities.length === 0) throw new UnsupportedExpressionError(expression, "it is empty");
  return equalities;
}

function operand(expression: string, token: string): Operand {
  if (token.startsWith("'") || token.startsWith('"')) {
    return { kind: "literal", value: token.slice(1, -1).replace(/\\(.)/g, "$1") };
  }
  if (/^-?\d/.test(token)) return { kind: "literal", value: Number(token) };
  if (token === "true" || token === "false") return { kind: "literal", value: token === "true" };
  if (token === "null") return { kind: "literal", value: null };
  const [root, ...path] = token.split(".");
  if ((root !== "event" && root !== "async") || path.length === 0) {
    throw new UnsupportedExpressionError(expression, `"${token}" is neither a literal nor a field of event or async`);
  }
  return { kind: "path", side: root, path };
}

/** `match: "data.userId"` is shorthand for `event.data.userId == async.data.userId`. */
export function matchToExpression(match: string): string {
  return `event.${match} == async.${match}`;
}

export function readPath(source: unknown, path: readonly string[]): unknown {
  let current = source;
  for (const segment of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function valueOf(op: Operand, scope: Partial<Record<Side, unknown>>): unknown {
  return op.kind === "literal" ? op.value : readPath(scope[op.side], op.path);
}

/** Evaluates with both sides known (trigger `if` filters). A missing field never matches. */
export function evaluate(equalities: Equality[], scope: Partial<Record<Side, unknown>>): boolean {
  return equalities.every(([a, b]) => {
    const left = valueOf(a, scope);
    const right = valueOf(b, scope);
    return left !== undefined && right !== undefined && jsonEqual(left, right);
  });
}

/** Marker object for a condition that can never hold once one side is known. */
export const NEVER_MATCHES = { __lipNeverMatches: true } as const;

export function neverMatches(contains: Record<string, unknown>): boolean {
  return contains.__lipNeverMatches === true;
}

/**
 * Fixes one side (the event already known) and returns what the other side's `data` must
 * contain for the expression to hold, as a jsonb containment object, so PostgreSQL can match
 * waiting runs against a new event (and cancellable runs against a cancel event).
 */
export function containmentFor(equalities: Equality[], known: { side: Side; event: unknown }, expression: string): Record<string, unknown> {
  const open: Side = known.side === "event" ? "async" : "event";
  const contains: Record<string, unknown> = {};
  for (const [a, b] of equalities) {
    const aOpen = a.kind === "path" && a.side === open;
    const bOpen = b.kind === "path" && b.side === open;
    if (aOpen && bOpen) throw new UnsupportedExpressionError(expression, `it compares two fields of ${open}`);
    if (!aOpen && !bOpen) {
      const left = valueOf(a, { [known.side]: known.event });
      const right = valueOf(b, { [known.side]: known.event });
      if (left === undefined || right === undefined || !jsonEqual(left, right)) return { ...NEVER_MATCHES };
      continue;
    }
    const [field, fixed] = (aOpen ? [a, b] : [b, a]) as [Extract<Operand, { kind: "path" }>, Operand];
    if (field.path[0] !== "data" || field.path.length < 2) {
      throw new UnsupportedExpressionError(expression, `only fields under ${open}.data can be matched`);
    }
    const value = valueOf(fixed, { [known.side]: known.event });
    if (value === undefined) return { ...NEVER_MATCHES };
    if (!setPath(contains, field.path.slice(1), value)) return { ...NEVER_MATCHES };
  }
  return contains;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): boolean {
  let node = target;
  for (const [i, segment] of path.entries()) {
    if (i === path.length - 1) {
      if (segment in node && !jsonEqual(node[segment], value)) return false;
      node[segment] = value;
      return true;
    }
    const next = node[segment];
    if (next === undefined) node = node[segment] = {};
    else if (typeof next === "object" && next !== null && !Array.isArray(next)) node = next as Record<string, unknown>;
    else return false;
  }
  return true;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A concurrency key such as `event.data.workspaceId`: a path into the triggering event. */
export function parseKeyExpression(expression: string): string[] {
  const trimmed = expression.trim();
  if (!/^event(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(trimmed)) {
    throw new UnsupportedExpressionError(expression, "a concurrency key must be a field of the event, such as event.data.workspaceId");
  }
  return trimmed.split(".").slice(1);
}
