/** Settles when the browser is idle (or after `fallbackMs` where requestIdleCallback is missing): for code no first paint needs. */
export function whenIdle(fallbackMs = 200): Promise<void> {
  return new Promise((resolve) => {
    if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(() => resolve(), { timeout: 2000 });
    else window.setTimeout(resolve, fallbackMs);
  });
}
