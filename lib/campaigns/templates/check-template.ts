import { CaseTag, IfTag, LiquidError, Output, TypeGuards, UnlessTag, type Liquid, type Template, type Value } from "liquidjs";
import { createTemplateEngine } from "./engine";
import { CUSTOM_KEY, CUSTOM_PREFIX, isTemplateVariable, TEMPLATE_VARIABLES } from "./variables";

/** A position in the source, 1-based, as an editor shows it. */
export type TemplatePosition = { line: number; column: number };
export type TemplateError = TemplatePosition & { message: string };
/**
 * One use of a variable. `hasFallback`: an empty value cannot leave a blank here — the use
 * starts with `| default: …`, or only tests the value (`{% if title %}`). A use without one
 * blocks the email for every lead whose value is empty (DESIGN.md §7.6).
 */
export type TemplateVariableUse = TemplatePosition & { name: string; hasFallback: boolean };
export type TemplateCheck = { errors: TemplateError[]; variables: TemplateVariableUse[] };

export type CheckTemplateOptions = {
  /** The workspace's custom field keys; when given, `custom.<key>` must name one of them. */
  customKeys?: readonly string[];
};

let sharedEngine: Liquid | undefined;
function engine(): Liquid {
  sharedEngine ??= createTemplateEngine();
  return sharedEngine;
}

/**
 * Checks a subject or body as the editor types it and as pre-flight and the renderer see it:
 * syntax errors and unknown variables with their line and column, and every variable used,
 * with whether it has a fallback. Pure and synchronous (browser-safe).
 */
export function checkTemplate(source: string, options: CheckTemplateOptions = {}): TemplateCheck {
  let templates: Template[];
  try {
    templates = engine().parse(source);
  } catch (error) {
    return { errors: [toTemplateError(error, source)], variables: [] };
  }
  const errors: TemplateError[] = [];
  const printed = printedRanges(templates);
  for (const output of printed) {
    if (output.defaultIndex > 0) {
      errors.push({
        ...positionAt(source, output.begin),
        message: 'Put "default" right after the variable, e.g. {{ first_name | default: "there" | capitalize }}.',
      });
    }
  }

  const variables: TemplateVariableUse[] = [];
  const analysis = engine().analyzeSync(templates, { partials: false });
  for (const uses of Object.values(analysis.globals)) {
    for (const use of uses) {
      const position = { line: use.location.row, column: use.location.col };
      const offset = offsetOf(source, position);
      const name = variableName(use.segments);
      const problem = unknownVariable(use.segments, options);
      if (problem) errors.push({ ...position, message: problem });
      const output = printed.find((o) => offset >= o.begin && offset < o.end);
      const printedFirst = !!output && offset >= output.initial[0] && offset < output.initial[1];
      const hasFallback = !output || (printedFirst && (output.defaultIndex === 0 || output.guarded.has(name)));
      variables.push({ name, hasFallback, ...position });
    }
  }
  const byPosition = (a: TemplatePosition, b: TemplatePosition) => a.line - b.line || a.column - b.column;
  return { errors: errors.sort(byPosition), variables: variables.sort(byPosition) };
}

type Segments = ReadonlyArray<string | number | { toString(): string }>;

function variableName(segments: Segments): string {
  return segments.map(String).join(".");
}

function unknownVariable(segments: Segments, options: CheckTemplateOptions): string | null {
  const [root, key, ...rest] = segments;
  if (root === CUSTOM_PREFIX) {
    if (typeof key !== "string" || rest.length > 0 || !CUSTOM_KEY.test(key)) {
      return "Name one custom field, e.g. {{ custom.industry }}.";
    }
    if (options.customKeys && !options.customKeys.includes(key)) {
      return `Unknown custom field "${key}". Known: ${options.customKeys.join(", ") || "none yet"}.`;
    }
    return null;
  }
  if (typeof root === "string" && isTemplateVariable(root)) {
    return key === undefined ? null : `"${root}" is text; write {{ ${root} }}.`;
  }
  return `Unknown variable "${variableName(segments)}". Use one of: ${Object.keys(TEMPLATE_VARIABLES).join(", ")}, custom.<field>.`;
}

type PrintedRange = { begin: number; end: number; initial: [number, number]; defaultIndex: number; guarded: ReadonlySet<string> };

/**
 * Where each {{ … }} is, where its printed expression is, where `default` stands among its
 * filters, and which variables the blocks around it test: `{% if title %}{{ title }}{% endif %}`
 * prints title only when it has a value (an empty field is absent, and absent is false).
 */
function printedRanges(templates: Template[]): PrintedRange[] {
  const ranges: PrintedRange[] = [];
  const visit = (node: Template, guarded: ReadonlySet<string>) => {
    if (node instanceof Output) {
      const tokens = node.value.initial.postfix;
      ranges.push({
        begin: node.token.begin,
        end: node.token.end,
        initial: [Math.min(...tokens.map((t) => t.begin)), Math.max(...tokens.map((t) => t.end))],
        defaultIndex: node.value.filters.findIndex((f) => f.name === "default"),
        guarded,
      });
      return;
    }
    const within = (names: string[]) => (names.length ? new Set([...guarded, ...names]) : guarded);
    const each = (list: Template[] | undefined, g: ReadonlySet<string>) => list?.forEach((t) => visit(t, g));
    if (node instanceof IfTag) {
      for (const branch of node.branches) each(branch.templates, within(testedNames(branch.value)));
      each(node.elseTemplates, guarded);
    } else if (node instanceof UnlessTag) {
      const [unless, ...elsifs] = node.branches;
      each(unless?.templates, guarded);
      for (const branch of elsifs) each(branch.templates, within(testedNames(branch.value)));
      each(node.elseTemplates, unless ? within(testedNames(unless.value)) : guarded);
    } else if (node instanceof CaseTag) {
      for (const branch of node.branches) each(branch.templates, guarded);
      each(node.elseTemplates, guarded);
    }
  };
  templates.forEach((t) => visit(t, new Set()));
  return ranges;
}

/** The variables a condition requires to have a value: `a`, or `a and b` (no filters, no comparisons). */
function testedNames(value: Value): string[] {
  if (value.filters.length > 0) return [];
  const names: string[] = [];
  for (const token of value.initial.postfix) {
    const text = token.getText().trim();
    if (TypeGuards.isPropertyAccessToken(token) && /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)?$/.test(text)) names.push(text);
    else if (!(TypeGuards.isOperatorToken(token) && text === "and")) return [];
  }
  return names;
}

export function toTemplateError(error: unknown, source: string): TemplateError {
  if (error instanceof LiquidError) {
    const [line = 1, column = 1] = error.token?.getPosition() ?? [];
    const original = (error as LiquidError & { originalError?: Error }).originalError?.message;
    return { line, column, message: readableMessage(original ?? error.message) };
  }
  return { ...positionAt(source, 0), message: "This template cannot be read." };
}

/** liquidjs appends ", line:1, col:4" and sometimes a code frame; the editor shows the position itself. */
function readableMessage(message: string): string {
  const first = (message.split("\n")[0] ?? "").replace(/, line:\d+, col:\d+$/, "");
  if (/^undefined filter: /.test(first)) {
    return `Unknown filter "${first.slice("undefined filter: ".length)}". Use: default, capitalize, upcase, downcase, strip, truncate, replace, append, prepend.`;
  }
  if (/^invalid value expression: ""$/i.test(first)) return "This tag is missing its condition or value.";
  const notClosed = /^(tag|output) (.*) not closed$/.exec(first);
  if (notClosed) return `${notClosed[2]} is not closed.`;
  return first.charAt(0).toUpperCase() + first.slice(1) + (/[.)]$/.test(first) ? "" : ".");
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") starts.push(i + 1);
  return starts;
}

function offsetOf(source: string, { line, column }: TemplatePosition): number {
  return (lineStarts(source)[line - 1] ?? 0) + column - 1;
}

function positionAt(source: string, offset: number): TemplatePosition {
  const starts = lineStarts(source);
  let line = 1;
  while (line < starts.length && (starts[line] ?? Infinity) <= offset) line++;
  return { line, column: offset - (starts[line - 1] ?? 0) + 1 };
}
