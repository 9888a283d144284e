import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LocalTime } from "./local-time";

// The server's text is what the page shows until it hydrates: in the browser's own format, so
// that swapping in the viewer's zone changes a few characters and never moves the page.
describe("LocalTime rendered on the server", () => {
  it("writes a date and time as a US-English browser in UTC would", () => {
    const html = renderToString(createElement(LocalTime, { value: "2026-12-02T04:31:00Z", withTime: true }));
    expect(html).toBe('<time dateTime="2026-12-02T04:31:00.000Z">Dec 2, 2026, 4:31 AM</time>');
  });

  it("writes a date alone in the same style, on its UTC day", () => {
    const html = renderToString(createElement(LocalTime, { value: new Date("2026-12-31T23:30:00Z") }));
    expect(html).toBe('<time dateTime="2026-12-31T23:30:00.000Z">Dec 31, 2026</time>');
  });
});
