import { LiquidError, type Liquid, type Template } from "liquidjs";
import { unsubscribeHeaders } from "@/lib/sending/send/email-headers";
import { checkTemplate, toTemplateError, type TemplateError, type TemplatePosition } from "./check-template";
import { emailDocument, markLeadValue, stripLeadValueMarks } from "./email-html";
import { createTemplateEngine } from "./engine";
import { isTemplateVariable, type TemplateValues } from "./variables";

/** The parts of a sending identity an email carries. */
export type EmailIdentity = {
  fromName: string;
  fromEmail: string;
  replyTo: string | null;
  signature: string | null;
  postalAddress: string | null;
};

export type RenderCampaignEmailInput = {
  subject: string;
  body: string;
  values: TemplateValues;
  identity: EmailIdentity;
  /** The recipient's signed link (lib/campaigns/unsubscribe-token.ts). */
  unsubscribeUrl: string;
  plainTextOnly: boolean;
};

export type RenderedCampaignEmail = {
  subject: string;
  from: string;
  replyTo: string | null;
  /** null in plain-text-only mode. */
  html: string | null;
  text: string;
  headers: Record<string, string>;
};

/** Why this lead cannot get this email, where in the template, and for which variable. */
export type TemplateProblem = Partial<TemplatePosition> & {
  part: "subject" | "body" | "identity";
  variable?: string;
  message: string;
};

export type RenderCampaignEmailResult = { ok: true; email: RenderedCampaignEmail } | { ok: false; problems: TemplateProblem[] };

let textEngine: Liquid | undefined;
let htmlEngine: Liquid | undefined;

/**
 * One lead's email exactly as it will be sent, or the reasons it cannot be (DESIGN.md §7.5,
 * §7.6): an unknown variable, or one that is empty for this lead and has no fallback, blocks
 * it — never a blank, never a `{{ first_name }}`. Lead values are escaped in the HTML part and
 * left as they are in the text part; every email carries the one-click unsubscribe headers
 * (RFC 8058), a visible unsubscribe link and the identity's postal address. Pure.
 */
export function renderCampaignEmail(input: RenderCampaignEmailInput): RenderCampaignEmailResult {
  textEngine ??= createTemplateEngine();
  htmlEngine ??= createTemplateEngine({ escapeOutput: markLeadValue });
  const problems: TemplateProblem[] = [];
  const postalAddress = input.identity.postalAddress?.trim();
  if (!postalAddress) {
    problems.push({ part: "identity", message: `${input.identity.fromEmail} has no postal address for the footer (Settings → Sending).` });
  }

  const subject = renderPart(textEngine, "subject", input.subject, input.values, problems);
  const bodyText = renderPart(textEngine, "body", input.body, input.values, problems);
  const bodyMarked = input.plainTextOnly ? null : renderPart(htmlEngine, "body", input.body, input.values, []);
  const oneLineSubject = subject?.replace(/\s+/g, " ").trim();
  if (oneLineSubject === "") problems.push({ part: "subject", message: "The subject is empty for this lead." });
  if (bodyText !== null && bodyText.trim() === "") problems.push({ part: "body", message: "The body is empty for this lead." });
  if (problems.length > 0 || oneLineSubject == null || bodyText === null || !postalAddress) return { ok: false, problems };

  const signature = input.identity.signature?.trim() || null;
  const text = [bodyText.trim(), signature, `--\n${postalAddress}\nUnsubscribe: ${input.unsubscribeUrl}`]
    .filter((part) => part !== null)
    .join("\n\n")
    .concat("\n");
  const html =
    bodyMarked === null ? null : emailDocument({ body: bodyMarked, signature, postalAddress, unsubscribeUrl: input.unsubscribeUrl });

  return {
    ok: true,
    email: {
      subject: oneLineSubject,
      from: formatAddress(input.identity.fromName, input.identity.fromEmail),
      replyTo: input.identity.replyTo,
      html,
      text,
      headers: unsubscribeHeaders({ url: input.unsubscribeUrl, mailbox: input.identity.replyTo ?? input.identity.fromEmail }),
    },
  };
}

function renderPart(
  engine: Liquid,
  part: "subject" | "body",
  source: string,
  values: TemplateValues,
  problems: TemplateProblem[],
): string | null {
  const prepared = preparedTemplate(engine, source);
  if ("errors" in prepared) {
    problems.push(...prepared.errors.map((e) => ({ part, ...e })));
    return null;
  }
  let rendered: string;
  try {
    rendered = engine.renderSync(prepared.templates, { ...values, custom: { ...values.custom } });
  } catch (error) {
    const errors = error instanceof LiquidError && "errors" in error ? (error.errors as LiquidError[]) : [error];
    problems.push(...errors.map((e) => renderProblem(part, source, e)));
    return null;
  }
  // A literal like {{ "{{ first_name }}" }} would otherwise print template markup to a person.
  if (/\{\{|\{%/.test(stripLeadValueMarks(rendered))) {
    problems.push({ part, message: "The email would show template markup ({{ … }} or {% … %}) to the recipient." });
    return null;
  }
  return rendered;
}

/**
 * A source's check and parse, once per engine and source: a campaign sends the same few
 * subjects and bodies to thousands of leads, and checking and parsing them cost more than
 * rendering (about 1.5 ms an email otherwise). Parsed templates render any number of times.
 */
const prepared = new WeakMap<Liquid, Map<string, { templates: Template[] } | { errors: TemplateError[] }>>();
const MAX_PREPARED = 1_000;

function preparedTemplate(engine: Liquid, source: string): { templates: Template[] } | { errors: TemplateError[] } {
  let cache = prepared.get(engine);
  if (!cache) prepared.set(engine, (cache = new Map()));
  let entry = cache.get(source);
  if (!entry) {
    const check = checkTemplate(source);
    try {
      entry = check.errors.length > 0 ? { errors: check.errors } : { templates: engine.parse(source) };
    } catch (error) {
      entry = { errors: [toTemplateError(error, source)] };
    }
    if (cache.size >= MAX_PREPARED) cache.clear();
    cache.set(source, entry);
  }
  return entry;
}

function renderProblem(part: "subject" | "body", source: string, error: unknown): TemplateProblem {
  const position = toTemplateError(error, source);
  const variable = (error as { originalError?: { variableName?: unknown } }).originalError?.variableName;
  if (typeof variable !== "string") return { part, ...position };
  const known = isTemplateVariable(variable) || variable.startsWith("custom.");
  const message = known
    ? `${variable} is empty for this lead and has no fallback; add one, e.g. {{ ${variable} | default: "…" }}.`
    : `Unknown variable "${variable}".`;
  return { part, line: position.line, column: position.column, variable, message };
}

/** A From header: the display name quoted, with nothing that could end the header. */
export function formatAddress(name: string, email: string): string {
  const display = name
    .replace(/[\r\n]+/g, " ")
    .replace(/["\\]/g, "\\$&")
    .trim();
  return display ? `"${display}" <${email}>` : email;
}
