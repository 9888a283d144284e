import { expect, type Page } from "@playwright/test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type postgres from "postgres";

/**
 * A campaign email a rep might write, full of loads (tracking pixel, stylesheet, web font,
 * background image, from another origin and from the app's own), shown in the Outbox: its
 * inline styles apply, and the frame requests nothing at all. The page's own CSP already
 * refuses other origins; the app's origin is what only the frame's own policy refuses.
 */
export async function expectMessageFrameLoadsNothing(page: Page, sql: postgres.Sql, path: (id: string) => string) {
  const requests: string[] = [];
  const remote = createServer((req, res) => {
    requests.push(req.url ?? "");
    res.end();
  });
  await new Promise<void>((resolve) => remote.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  const html = `
    <style>@import url("${origin}/import.css"); @font-face { font-family: Remote; src: url("${origin}/font.woff2"); }
      p { font-family: Remote, sans-serif; }</style>
    <link rel="stylesheet" href="${origin}/style.css">
    <img src="${origin}/pixel.gif" alt="" width="1" height="1">
    <p id="greeting" style="color: rgb(200, 0, 0)">Hello Zoë</p>
    <div style="background-image: url(${origin}/bg.png); width: 10px; height: 10px"></div>
    <img id="same-origin" src="/icon.svg?from=email" alt="">
    <img id="inline" src="data:image/svg+xml,${encodeURIComponent("<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>")}" alt="">`;
  const [acme] = await sql<{ id: string }[]>`select id from public.workspaces where slug = 'acme-outbound'`;
  const [message] = await sql<{ id: string }[]>`
    insert into local.outbox_messages (from_address, to_addresses, subject, html, text_body, tags)
    values ('rep@acme.test', ${["lead@example.test"]}, 'Quick question', ${html}, 'Hello Zoë',
            ${sql.json([
              { name: "workspace_id", value: acme!.id },
              { name: "category", value: "campaign" },
              { name: "kind", value: "product" },
            ])})
    returning id`;

  try {
    await page.goto(path(message!.id));
    // Sandboxed: no scripts, no same origin (the frame's own CSP is the second wall).
    await expect(page.locator('iframe[title="Message body"]')).toHaveAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
    const frame = page.frameLocator('iframe[title="Message body"]');
    await expect(frame.locator("#greeting")).toHaveCSS("color", "rgb(200, 0, 0)");
    // An image that did not load, with an empty alt, takes no room; a loaded one its own size.
    await expect(frame.locator("#inline")).toHaveCSS("width", "4px");
    await page.waitForTimeout(1500);
    await expect(frame.locator("#same-origin")).toHaveCSS("width", "0px");
    expect(requests).toEqual([]);
  } finally {
    remote.close();
  }
}
