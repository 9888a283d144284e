import { checkTemplate } from "@/lib/campaigns/templates/check-template";
import type { PreflightIssue } from "./types";
import { findLinks, spamSignals } from "./message-hints";

/**
 * The checks that need only the campaign's content (no lead): what blocks submission, the
 * warnings about subjects, the links, and which variables lack a fallback where. Pure, so the
 * rules are pinned by unit tests; run-preflight adds the audience, the capacity and the leads
 * a variable is empty for.
 */

export type ContentForChecks = {
  hasAudience: boolean;
  identities: { fromName: string; fromEmail: string; postalAddress: string | null; archived: boolean }[];
  steps: {
    position: number;
    variants: { label: string; weight: number; subject: string; body: string }[];
  }[];
};

/** A variable used without a fallback, and where: the leads it is empty for are skipped. */
export type UnguardedVariable = { name: string; where: string[] };

export type ContentChecks = {
  blocking: PreflightIssue[];
  warnings: PreflightIssue[];
  links: { where: string; urls: string[] }[];
  unguarded: UnguardedVariable[];
  /**
   * Each variant of the first step with the variables it uses without a fallback: a lead for
   * whom one of its variant's is empty is skipped before any email, so it receives nothing.
   */
  firstStep: { label: string; unguarded: string[] }[];
};

export function checkCampaignContent(content: ContentForChecks): ContentChecks {
  const blocking: PreflightIssue[] = [];
  const warnings: PreflightIssue[] = [];
  const links: ContentChecks["links"] = [];
  const unguarded = new Map<string, Set<string>>();
  const firstStep: ContentChecks["firstStep"] = [];
  const first = content.steps.reduce<ContentForChecks["steps"][number] | undefined>(
    (min, step) => (min && min.position <= step.position ? min : step),
    undefined,
  );

  if (content.steps.length === 0) {
    blocking.push({ code: "no_steps", message: "Add at least one step: the campaign has no email to send." });
  }
  if (!content.hasAudience) {
    blocking.push({ code: "no_audience", message: "Choose who receives it: a saved view, the lead table's filter or picked leads." });
  }
  if (content.identities.length === 0) {
    blocking.push({ code: "no_identity", message: "Choose at least one sending identity to send from." });
  }
  for (const identity of content.identities) {
    const name = `${identity.fromName} <${identity.fromEmail}>`;
    if (identity.archived) {
      blocking.push({ code: "identity_archived", message: `${name} is archived: choose another sending identity.` });
    }
    if (!identity.postalAddress?.trim()) {
      blocking.push({
        code: "missing_postal_address",
        message: `${name} has no postal address. Every email's footer must show one (CAN-SPAM): an admin adds it in Settings → Sending.`,
      });
    }
  }

  for (const step of content.steps) {
    const stepName = `Step ${step.position}`;
    const split = step.variants.length > 1;
    const total = step.variants.reduce((sum, v) => sum + v.weight, 0);
    if (split && total !== 100) {
      blocking.push({
        code: "weights",
        where: stepName,
        message: `${stepName}'s variants split ${total} % of its leads: make the weights add up to 100 %.`,
      });
    }
    for (const variant of step.variants) {
      const at = split ? `${stepName} · variant ${variant.label}` : stepName;
      const variantUnguarded = new Set<string>();
      for (const part of ["subject", "body"] as const) {
        const where = `${at} · ${part}`;
        const source = variant[part];
        if (!source.trim()) {
          blocking.push({ code: `empty_${part}`, where, message: `${at} has no ${part}: write one.` });
          continue;
        }
        const check = checkTemplate(source);
        for (const error of check.errors) {
          blocking.push({
            code: /^Unknown (variable|custom field)/.test(error.message) ? "unknown_variable" : "template_error",
            where: `${where} · line ${error.line}, column ${error.column}`,
            message: error.message,
          });
        }
        for (const use of check.variables) {
          if (use.hasFallback) continue;
          const places = unguarded.get(use.name) ?? new Set<string>();
          places.add(where);
          unguarded.set(use.name, places);
          variantUnguarded.add(use.name);
        }
      }
      if (step === first) firstStep.push({ label: variant.label, unguarded: [...variantUnguarded] });
      for (const signal of spamSignals(variant.subject)) {
        warnings.push({
          code: "spam_subject",
          where: `${at} · subject`,
          message: `The subject ${signal}, which spam filters and readers distrust: write it as a colleague would.`,
        });
      }
      const urls = findLinks(variant.body);
      if (urls.length) links.push({ where: at, urls });
    }
  }

  return {
    blocking,
    warnings,
    links,
    unguarded: [...unguarded].map(([name, where]) => ({ name, where: [...where] })),
    firstStep,
  };
}
