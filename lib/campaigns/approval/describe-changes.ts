import type { CampaignContent } from "@/lib/campaigns/content-hash";

/**
 * What changed between the content an admin approved and the campaign as it is now, in words
 * a rep reads on the campaign page ("Step 2 subject changed", "Identity removed: …",
 * "Audience changed"). Pure: both sides are private.campaign_content() values, so steps and
 * identities are matched by id (the editor keeps step ids stable) and variants by letter.
 */
export function describeContentChanges(approved: CampaignContent, current: CampaignContent): string[] {
  const changes: string[] = [];
  if (canonical(approved.audience) !== canonical(current.audience)) changes.push("Audience changed");
  if (approved.stopOnReply !== current.stopOnReply) changes.push(`Stop on reply turned ${current.stopOnReply ? "on" : "off"}`);
  if (approved.plainTextOnly !== current.plainTextOnly) changes.push(`Plain text only turned ${current.plainTextOnly ? "on" : "off"}`);
  changes.push(...identityChanges(approved.identities, current.identities));
  changes.push(...stepChanges(approved.steps, current.steps));
  return changes;
}

type Identity = CampaignContent["identities"][number];
type Step = CampaignContent["steps"][number];
type Variant = Step["variants"][number];

const IDENTITY_FIELDS: [keyof Identity, string][] = [
  ["fromName", "from name"],
  ["fromEmail", "from address"],
  ["replyTo", "reply-to"],
  ["signature", "signature"],
  ["postalAddress", "postal address"],
];

function identityChanges(before: Identity[], after: Identity[]): string[] {
  const changes: string[] = [];
  const afterById = new Map(after.map((i) => [i.id, i]));
  const beforeIds = new Set(before.map((i) => i.id));
  for (const old of before) {
    const now = afterById.get(old.id);
    if (!now) {
      changes.push(`Identity removed: ${nameOf(old)}`);
      continue;
    }
    const fields = IDENTITY_FIELDS.filter(([key]) => (old[key] ?? "") !== (now[key] ?? "")).map(([, label]) => label);
    if (fields.length > 0) changes.push(`Identity ${nameOf(old)}: ${joinWords(fields)} changed`);
  }
  for (const added of after.filter((i) => !beforeIds.has(i.id))) changes.push(`Identity added: ${nameOf(added)}`);
  return changes;
}

function stepChanges(before: Step[], after: Step[]): string[] {
  const changes: string[] = [];
  const afterById = new Map(after.map((s) => [s.id, s]));
  const beforeIds = new Set(before.map((s) => s.id));
  for (const old of before) {
    const now = afterById.get(old.id);
    if (!now) {
      changes.push(`Step ${old.position} removed`);
      continue;
    }
    const name = `Step ${now.position}`;
    if (old.position !== now.position) changes.push(`${name} was step ${old.position}`);
    if (old.delayDays !== now.delayDays || old.delayHours !== now.delayHours) {
      changes.push(`${name} delay changed from ${formatDelay(old)} to ${formatDelay(now)}`);
    }
    if (old.businessDays !== now.businessDays) {
      changes.push(`${name} ${now.businessDays ? "now counts business days only" : "now counts every day"}`);
    }
    changes.push(...variantChanges(name, old.variants, now.variants));
  }
  for (const added of after.filter((s) => !beforeIds.has(s.id))) changes.push(`Step ${added.position} added`);
  return changes;
}

function variantChanges(step: string, before: Variant[], after: Variant[]): string[] {
  const changes: string[] = [];
  const afterByLabel = new Map(after.map((v) => [v.label, v]));
  const beforeLabels = new Set(before.map((v) => v.label));
  // A step without an A/B split is named alone: "Step 2 subject changed".
  const single = before.length === 1 && after.length === 1;
  for (const old of before) {
    const now = afterByLabel.get(old.label);
    if (!now) {
      changes.push(`${step} variant ${old.label} removed`);
      continue;
    }
    const name = single ? step : `${step} variant ${old.label}`;
    if (old.subject !== now.subject) changes.push(`${name} subject changed`);
    if (old.body !== now.body) changes.push(`${name} body changed`);
    if (old.weight !== now.weight && !single) changes.push(`${name} split changed from ${old.weight}% to ${now.weight}%`);
  }
  for (const added of after.filter((v) => !beforeLabels.has(v.label))) changes.push(`${step} variant ${added.label} added`);
  return changes;
}

export function formatDelay({ delayDays, delayHours }: { delayDays: number; delayHours: number }): string {
  const parts = [
    delayDays ? `${delayDays} ${delayDays === 1 ? "day" : "days"}` : "",
    delayHours ? `${delayHours} ${delayHours === 1 ? "hour" : "hours"}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" ") : "no delay";
}

function nameOf(identity: Identity): string {
  return `${identity.fromName} <${identity.fromEmail}>`;
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** jsonb gives keys in its own order; compare values whatever order they were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
