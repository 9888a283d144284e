/**
 * The headers every campaign email carries, built in one place for the campaign's own sends
 * (lib/sending/send) and for the editor's preview and "send a test to me", which show and send
 * exactly what a lead would get. Pure: the browser-free renderer calls it.
 */

/**
 * RFC 2369 `List-Unsubscribe` with both the https link (RFC 8058 one-click: mailbox providers
 * POST `List-Unsubscribe=One-Click` to it, no cookies needed) and a mailto for clients that
 * only offer mail, plus `List-Unsubscribe-Post` (DESIGN.md §7.5). The mailto goes to the
 * identity's reply address, where replies (and so this one) are read.
 */
export function unsubscribeHeaders({ url, mailbox }: { url: string; mailbox: string }): Record<string, string> {
  return {
    "List-Unsubscribe": `<${url}>, <mailto:${encodeURI(mailbox)}?subject=unsubscribe>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

/**
 * Our own Message-ID (what a reply's In-Reply-To names: lib/sending/events matches it to the
 * message) and, on a follow-up step, the thread: In-Reply-To the previous step's email and
 * References every earlier one, oldest first (RFC 5322 §3.6.4).
 */
export function threadHeaders({ messageId, earlier }: { messageId: string; earlier: readonly string[] }): Record<string, string> {
  const last = earlier.at(-1);
  return {
    "Message-ID": messageId,
    ...(last ? { "In-Reply-To": last, References: earlier.join(" ") } : {}),
  };
}

/** `<id@domain-of-the-sender>`: unique (the message row's uuid) and in the sender's domain, as RFC 5322 asks. */
export function rfcMessageId(messageId: string, fromEmail: string): string {
  const domain = fromEmail.slice(fromEmail.lastIndexOf("@") + 1) || "localhost";
  return `<${messageId}@${domain}>`;
}
