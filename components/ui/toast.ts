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

function show(kind: "success" | "error" | "info", message: string, options?: ExternalToast) {
  markWanted();
  void Promise.all([loadSonner(), toasterMounted]).then(([{ toast }]) => toast[kind](message, options));
}

export const toast = {
  success: (message: string, options?: ExternalToast) => show("success", message, options),
  error: (message: string, options?: ExternalToast) => show("error", message, options),
  info: (message: string, options?: ExternalToast) => show("info", message, options),
};
