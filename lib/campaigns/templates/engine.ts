import { Liquid, Tag, type TagToken, type TopLevelToken } from "liquidjs";

/**
 * The one Liquid engine every campaign template goes through, in the editor and on the server.
 * Pure and browser-safe (no `fs`): liquidjs resolves to its browser build in the client bundle.
 *
 * Locked down so a template can only print lead values and branch on them:
 * - strict variables and filters: an unknown name or filter is an error, never an empty string;
 *   `lenientIf` lets `{% if x %}` and `x | default: …` accept a value that is absent (an empty
 *   field), so a fallback works while a bare `{{ x }}` of an empty field still throws;
 * - own properties only: `{{ custom.constructor }}` or `__proto__` read nothing of JavaScript's;
 * - no tag that reads a file or another template (include, render, layout, block), loops
 *   (for, tablerow, cycle), sets variables (assign, capture, increment, decrement, echo, liquid),
 *   or prints template markup as text (raw): each is refused with its name at its position;
 * - a short list of text filters (no `raw`, which would bypass the HTML part's escaping);
 * - an in-memory empty template map, so even a missed tag finds no file system;
 * - parse, render-time and memory limits against pathological templates.
 */

const ALLOWED_TAGS = new Set(["if", "unless", "case", "comment", "#"]);

export const ALLOWED_FILTERS = [
  "default",
  "capitalize",
  "upcase",
  "downcase",
  "strip",
  "lstrip",
  "rstrip",
  "truncate",
  "truncatewords",
  "replace",
  "replace_first",
  "remove",
  "remove_first",
  "append",
  "prepend",
] as const;

const REFUSED_TAG_REASONS: Record<string, string> = {
  include: "cannot include other files",
  render: "cannot include other files",
  layout: "cannot include other files",
  block: "cannot include other files",
  for: "cannot loop",
  tablerow: "cannot loop",
  cycle: "cannot loop",
  break: "cannot loop",
  continue: "cannot loop",
  assign: "cannot set variables",
  capture: "cannot set variables",
  increment: "cannot set variables",
  decrement: "cannot set variables",
  echo: "cannot use echo; write {{ … }}",
  liquid: "cannot use the liquid tag",
  raw: "cannot print template markup as text",
};

function refusedTag(name: string): new (token: TagToken, remain: TopLevelToken[], liquid: Liquid) => Tag {
  return class RefusedTag extends Tag {
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      throw new Error(`Email templates ${REFUSED_TAG_REASONS[name] ?? "cannot use this tag"} ({% ${name} %}).`);
    }
    render(): void {}
  };
}

export const TEMPLATE_PARSE_LIMIT = 100_000;

export function createTemplateEngine(options: { escapeOutput?: (value: unknown) => string } = {}): Liquid {
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    ownPropertyOnly: true,
    jsTruthy: false,
    dynamicPartials: false,
    relativeReference: false,
    templates: {},
    cache: false,
    // Every unknown or empty variable of a render is reported, not only the first.
    catchAllErrors: true,
    parseLimit: TEMPLATE_PARSE_LIMIT,
    renderLimit: 1_000,
    memoryLimit: 10_000_000,
    timezoneOffset: 0,
    outputEscape: options.escapeOutput,
  });
  for (const name of Object.keys(engine.tags)) {
    if (!ALLOWED_TAGS.has(name)) engine.registerTag(name, refusedTag(name));
  }
  const allowed = new Set<string>(ALLOWED_FILTERS);
  for (const name of Object.keys(engine.filters)) {
    if (!allowed.has(name)) delete (engine.filters as Record<string, unknown>)[name];
  }
  return engine;
}
