"use client";
import { useEffect, useState } from "react";
import { whenIdle } from "./when-idle";
import { firstToastWanted, loadSonner, onToasterMounted } from "./toast";

type Sonner = Awaited<ReturnType<typeof loadSonner>>;

/** sonner's toaster, mounted when the browser is idle after the first paint or at the first toast (components/ui/toast.ts). */
export function DeferredToaster() {
  const [sonner, setSonner] = useState<Sonner | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.race([firstToastWanted, whenIdle()])
      .then(loadSonner)
      .then((module) => live && setSonner(module));
    return () => {
      live = false;
    };
  }, []);
  // The toaster's own effects (its subscription to new toasts) have run before this one.
  useEffect(() => {
    if (sonner) onToasterMounted();
  }, [sonner]);
  if (!sonner) return null;
  return <sonner.Toaster position="bottom-right" richColors closeButton />;
}
