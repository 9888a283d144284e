import { UNSUBSCRIBE_UNDO_MINUTES } from "@/lib/suppressions/unsubscribe-lead";

/**
 * The unsubscribe pages, written as plain HTML: they must work for anyone, signed in or not,
 * without cookies or JavaScript, in any mail client's browser. Every value is escaped.
 */
export type UnsubscribePage =
  | { kind: "confirm" | "undone" | "kept"; workspaceName: string; address: string | null; token: string }
  /** `undoable`: the page offers Undo (lib/suppressions/unsubscribe-lead.ts, undoableUnsubscribe). */
  | { kind: "done"; workspaceName: string; address: string | null; token: string; undoable: boolean }
  | { kind: "invalid" | "test" | "gone" | "bad_request" | "too_large" }
  | { kind: "rate_limited"; retryAfterSeconds: number };

const UNDO_WINDOW = UNSUBSCRIBE_UNDO_MINUTES === 60 ? "an hour" : `${UNSUBSCRIBE_UNDO_MINUTES} minutes`;

const STATUS: Record<UnsubscribePage["kind"], number> = {
  confirm: 200,
  done: 200,
  undone: 200,
  kept: 200,
  invalid: 404,
  test: 200,
  gone: 404,
  bad_request: 400,
  too_large: 413,
  rate_limited: 429,
};

export function statusOf(page: UnsubscribePage): number {
  return STATUS[page.kind];
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function form(token: string, intent: "unsubscribe" | "undo", label: string, secondary = false): string {
  return `<form method="post" action="/unsubscribe/${escapeHtml(encodeURIComponent(token))}">
<input type="hidden" name="intent" value="${intent}">
<button type="submit"${secondary ? ' class="secondary"' : ""}>${escapeHtml(label)}</button>
</form>`;
}

function content(page: UnsubscribePage): { title: string; body: string } {
  switch (page.kind) {
    case "confirm": {
      const to = page.address ? ` to <strong>${escapeHtml(page.address)}</strong>` : "";
      return {
        title: `Unsubscribe from ${page.workspaceName}?`,
        body: `<p>Stop the emails from ${escapeHtml(page.workspaceName)}${to}.</p>${form(page.token, "unsubscribe", "Unsubscribe")}`,
      };
    }
    case "done": {
      const who = page.address ? `<strong>${escapeHtml(page.address)}</strong>` : "You";
      return {
        title: "You are unsubscribed",
        body: `<p role="status">${who} will get no more emails from ${escapeHtml(page.workspaceName)}.</p>${
          page.undoable ? `\n<p>Clicked by mistake?</p>${form(page.token, "undo", "Undo: subscribe me again", true)}` : ""
        }`,
      };
    }
    case "kept": {
      const who = page.address ? `<strong>${escapeHtml(page.address)}</strong>` : "You";
      return {
        title: "You stay unsubscribed",
        body: `<p role="status">${who} will still get no emails from ${escapeHtml(page.workspaceName)}. Nothing was changed.</p>
<p>This page can undo an unsubscribe only within ${UNDO_WINDOW} of clicking its link, and not one asked for by email. To hear from ${escapeHtml(page.workspaceName)} again, reply to one of their emails and say so.</p>`,
      };
    }
    case "undone":
      return {
        title: "You are subscribed again",
        body: `<p role="status">${escapeHtml(page.workspaceName)} may email ${page.address ? `<strong>${escapeHtml(page.address)}</strong>` : "you"} again. Emails cancelled when you unsubscribed will not be sent.</p>
${form(page.token, "unsubscribe", "Unsubscribe")}`,
      };
    case "invalid":
      return {
        title: "This unsubscribe link does not work",
        body: "<p>It may have been cut short when it was copied. Nothing was changed.</p><p>Open the link from the email itself, or reply to the email and ask to be removed.</p>",
      };
    case "test":
      return {
        title: "This is a test email",
        body: "<p>This email was a test sent from the campaign editor, so its unsubscribe link changes nothing. The emails of the campaign carry a link that works.</p>",
      };
    case "gone":
      return {
        title: "Nothing to unsubscribe",
        body: "<p>This address is no longer on the sender's list. Nothing was changed.</p><p>If emails keep coming, reply to one and ask to be removed.</p>",
      };
    case "bad_request":
      return {
        title: "This request was not understood",
        body: "<p>Nothing was changed. Open the link from the email and use its button.</p>",
      };
    case "too_large":
      return { title: "This request was too large", body: "<p>Nothing was changed. Open the link from the email and use its button.</p>" };
    case "rate_limited": {
      const minutes = Math.max(1, Math.ceil(page.retryAfterSeconds / 60));
      return {
        title: "Too many requests",
        body: `<p>Nothing was changed. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.</p>`,
      };
    }
  }
}

const STYLE = `body{margin:0;background:#f4f4f5;color:#18181b;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:28rem;margin:12vh auto 0;padding:2rem;background:#fff;border:1px solid #e4e4e7;border-radius:.75rem}
h1{font-size:1.25rem;margin:0 0 .75rem}p{margin:0 0 1rem;color:#3f3f46}strong{color:#18181b;word-break:break-all}
button{font:inherit;font-weight:600;padding:.5rem 1rem;border-radius:.5rem;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1d4ed8}button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}`;

export function renderUnsubscribePage(page: UnsubscribePage): string {
  const { title, body } = content(page);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}
