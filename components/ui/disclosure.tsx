import type { ComponentProps } from "react";

/**
 * A `<details>` that a person may open before the page's code has loaded. The browser opens it
 * by itself, adding `open` to the server's HTML; React, hydrating, finds an attribute its
 * render did not have and reports a hydration mismatch (next dev prints it as an error). The
 * mismatch is harmless (React leaves the attribute as the person set it), so it is not reported
 * for this element; its children are checked as everywhere else.
 */
export function Disclosure(props: ComponentProps<"details">) {
  return <details suppressHydrationWarning {...props} />;
}
