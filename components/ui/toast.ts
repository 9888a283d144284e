import type { ExternalToast } from "sonner";

/**
 * Toasts without sonner in the first load (12 kB gzip on every page): its code arrives when the
 * browser is idle after the first paint, or with the first toast, whichever comes first. A
 * toast asked for earlier is shown once the toaster is mounted (<DeferredToaster>).
 */
type Sonner = typeof import("sonner");

let sonner: Promise<Sonner> | null = null;
export const loadSonner = () => (sonner ??= import("sonner"));

let markWanted: () => void = () => {};
/** Settles at the first toast: the toaster should not wait for the browser to be idle. */
export const firstToastWanted = new Promise<void>((resolve) => (markWanted = resolve));

let markMounted: () => void = () => {};
const toasterMounted = new Promise<void>((resolve) => (markMounted = resolve));
/** Called by <DeferredToaster> once sonner's toaster listens. */
export const onToasterMounted = () => markMounted();

/**
 * How long a toast stays: sonner's 4 s fits "Saved." but not "Mailbox at its cap: the next email
 * waits until 00:00 New York time…". The time to read it at a slow pace (about 15 characters a
 * second) and two seconds more, never less than sonner's default, at most 15 s; hovering holds it.
 */
export function toastDuration(message: string): number {
  return Math.max(4_000, Math.min(15_000, Math.round((message.length / 15) * 1000) + 2_000));
}

function show(kind: "success" | "error" | "info", message: string, options?: ExternalToast) {
  markWanted();
  const shown = { duration: toastDuration(message), ...options };
  void Promise.all([loadSonner(), toasterMounted]).then(([{ toast }]) => toast[kind](message, shown));
}

export const toast = {
  success: (message: string, options?: ExternalToast) => show("success", message, options),
  error: (message: string, options?: ExternalToast) => show("error", message, options),
  info: (message: string, options?: ExternalToast) => show("info", message, options),
};
