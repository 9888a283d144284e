import { Badge } from "@/components/ui/badge";
import { REPLY_CATEGORY_LABELS, type ReplyCategory, type ReplyClassificationState } from "@/lib/ai/replies/reply-categories";

export const REPLY_CATEGORY_TONES: Record<ReplyCategory, "green" | "amber" | "red" | "neutral" | "accent"> = {
  interested: "green",
  question: "accent",
  not_interested: "red",
  not_now: "amber",
  out_of_office: "amber",
  unsubscribe_request: "red",
  wrong_person: "accent",
  auto_reply: "neutral",
  bounce: "red",
};

const UNREAD: Record<Exclude<ReplyClassificationState, "classified">, string> = {
  pending: "Not read yet",
  failed: "Not read (failed)",
  no_model: "Not read (no model)",
};

/** How a reply was read, as a badge: its category, or why it has none yet. */
export function ReplyCategoryBadge({ state, category }: { state: ReplyClassificationState; category: ReplyCategory | null }) {
  if (state === "classified" && category) return <Badge tone={REPLY_CATEGORY_TONES[category]}>{REPLY_CATEGORY_LABELS[category]}</Badge>;
  return <Badge>{UNREAD[state === "classified" ? "pending" : state]}</Badge>;
}
