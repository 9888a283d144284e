import { z } from "zod";

/** `<…>` message ids in a header value (In-Reply-To, References), in the order written. */
function messageIdsIn(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/<[^<>\s]{1,900}>/g)].map((match) => match[0]);
}

/**
 * The Message-IDs a reply refers to, the most telling first: In-Reply-To (the message answered),
 * then References from the newest back. Header names are matched whatever their case (Resend's
 * casing inside the map is not documented, §2.9).
 */
export function referencedMessageIds(headers: Record<string, string> | null | undefined): string[] {
  const lower = Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  const ids = [...messageIdsIn(lower["in-reply-to"]), ...messageIdsIn(lower["references"]).reverse()];
  return [...new Set(ids)].slice(0, 50);
}

/**
 * The message id tagged into a reply-to address (`replies+<message id>@inbound.example.com`),
 * from the addresses the reply was sent to; null when none carries one.
 */
export function taggedMessageId(addresses: readonly string[]): string | null {
  for (const address of addresses) {
    const local = /<?([^<>\s@]+)@[^<>\s@]+>?\s*$/.exec(address)?.[1];
    const tag = local?.split("+").slice(1).join("+");
    if (tag && z.uuid().safeParse(tag).success) return tag.toLowerCase();
  }
  return null;
}

/** The bare address of a From header (`"Ann" <ann@example.com>` → ann@example.com). */
export function bareAddress(from: string | null | undefined): string {
  const value = (from ?? "").trim();
  return (/<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1] ?? value).slice(0, 320);
}
