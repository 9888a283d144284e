import { REPLY_ACTION_LABELS, REPLY_CATEGORY_LABELS, type ReplyActionKind, type ReplyCategory } from "@/lib/ai/replies/reply-categories";
import { LEAD_FIELD_LABELS, LEAD_STATUS_LABELS, type EditableLeadField } from "./lead-fields";
import type { TimelineEntry } from "./lead-detail-types";

type People = Record<string, { name: string }>;

const SOURCE_NAMES: Record<string, string> = {
  csv: "a CSV file",
  apollo: "Apollo",
  phantombuster: "PhantomBuster",
  instantly: "Instantly",
};

/**
 * One timeline entry as a sentence ("Ana moved the status from New to Contacted"), from the
 * payload shapes of lib/leads/activities.ts. Pure text: the timeline renders it as text, never
 * as HTML, and a payload of an unexpected shape still reads sensibly.
 */
export function describeActivity(entry: TimelineEntry, people: People): { actor: string; summary: string; body?: string } {
  const described = describe(entry, people);
  return typeof entry.payload.bulkOperationId === "string" ? { ...described, summary: `${described.summary} in a bulk change` } : described;
}

function describe(entry: TimelineEntry, people: People): { actor: string; summary: string; body?: string } {
  const actor = entry.actorId ? (people[entry.actorId]?.name ?? "A former member") : "The system";
  const p = entry.payload;
  const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);
  const person = (id: unknown) => (typeof id === "string" ? (people[id]?.name ?? "a former member") : null);
  const status = (v: unknown) =>
    typeof v === "string" && v in LEAD_STATUS_LABELS ? LEAD_STATUS_LABELS[v as keyof typeof LEAD_STATUS_LABELS] : "unknown";

  switch (entry.type) {
    case "created":
      return { actor, summary: p.source === "manual" || !p.source ? "added this lead" : `added this lead from ${text(p.source)}` };
    case "imported": {
      const from = [
        // A bulk upsert through the API is an import of source `manual`: its file names it ("API bulk upsert of …").
        text(p.source) && p.source !== "manual" && `from ${SOURCE_NAMES[String(p.source)] ?? text(p.source)}`,
        text(p.file) && `(${text(p.file)}${typeof p.row === "number" ? `, row ${p.row}` : ""})`,
        p.sandbox === true && "— sandbox sample data",
      ];
      return { actor, summary: ["imported this lead", ...from.filter(Boolean)].join(" ") };
    }
    case "field_changed": {
      const label = p.field === "company" ? "Company" : (LEAD_FIELD_LABELS[p.field as EditableLeadField] ?? text(p.field) ?? "a field");
      const before = text(p.before);
      const after = text(p.after);
      if (before === null) return { actor, summary: `set ${label} to “${after ?? ""}”` };
      if (after === null) return { actor, summary: `cleared ${label} (was “${before}”)` };
      return { actor, summary: `changed ${label} from “${before}” to “${after}”` };
    }
    case "status_changed":
      if (p.via === "unsubscribe_undo")
        return { actor: "The lead", summary: `undid their unsubscribe: the status is back to ${status(p.after)}` };
      return { actor, summary: `moved the status from ${status(p.before)} to ${status(p.after)}` };
    case "owner_changed": {
      const to = person(p.after);
      const from = person(p.before);
      if (!to) return { actor, summary: from ? `unassigned this lead (was ${from})` : "unassigned this lead" };
      if (p.after === entry.actorId && !from) return { actor, summary: "took this lead" };
      return { actor, summary: from ? `assigned this lead to ${to} (was ${from})` : `assigned this lead to ${to}` };
    }
    case "tags_changed": {
      const list = (v: unknown) => (Array.isArray(v) ? v.filter((t) => typeof t === "string").join(", ") : "");
      const parts = [list(p.added) && `added tags ${list(p.added)}`, list(p.removed) && `removed tags ${list(p.removed)}`].filter(Boolean);
      return { actor, summary: parts.join(" and ") || "changed the tags" };
    }
    case "note_added":
      return { actor, summary: "added a note", body: text(p.body) ?? "" };
    case "deleted":
      return { actor, summary: "deleted this lead" };
    case "restored":
      return { actor, summary: "restored this lead" };
    case "enriched":
      return { actor, summary: p.provider ? `enriched this lead with ${text(p.provider)}` : "enriched this lead" };
    case "email_sent":
      return { actor, summary: p.subject ? `sent the email “${text(p.subject)}”` : "sent an email" };
    case "email_opened":
      return { actor: "The lead", summary: "opened an email" };
    case "email_replied":
      return { actor: "The lead", summary: p.subject ? `replied to “${text(p.subject)}”` : "replied to an email" };
    case "email_bounced":
      return { actor: "An email", summary: p.reason ? `bounced: ${text(p.reason)}` : "bounced" };
    case "email_clicked":
      return { actor: "The lead", summary: p.link ? `clicked ${text(p.link)}` : "clicked a link in an email" };
    case "email_complained":
      return { actor: "The lead", summary: "marked an email as spam" };
    case "unsubscribed":
      return { actor: "The lead", summary: "unsubscribed" };
    case "reply_classified": {
      const category =
        typeof p.category === "string" && p.category in REPLY_CATEGORY_LABELS
          ? REPLY_CATEGORY_LABELS[p.category as ReplyCategory].toLowerCase()
          : "a category";
      const sure = typeof p.confidence === "number" ? ` (${Math.round(p.confidence * 100)} % sure)` : "";
      const until = text(p.returnDate) ? `, back ${text(p.returnDate)}` : "";
      const done =
        typeof p.action === "string" && p.action in REPLY_ACTION_LABELS ? `: ${REPLY_ACTION_LABELS[p.action as ReplyActionKind]}` : "";
      // A person who read the reply themselves is its actor; the model's readings have none.
      return { actor: entry.actorId ? actor : "The AI model", summary: `read a reply as ${category}${sure}${until}${done}` };
    }
    case "reply_action_undone": {
      const what =
        typeof p.action === "string" && p.action in REPLY_ACTION_LABELS ? REPLY_ACTION_LABELS[p.action as ReplyActionKind] : "it";
      return { actor, summary: `undid what a reply's reading did (${what.charAt(0).toLowerCase()}${what.slice(1)})` };
    }
    case "referral_added":
      return {
        actor,
        summary: p.referredByLeadId ? "added this lead from another lead's referral" : "added the person this lead referred as a lead",
      };
  }
}
