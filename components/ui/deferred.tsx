"use client";
import { useEffect, useState, type ComponentType } from "react";
import { whenIdle } from "./when-idle";

/** What a deferred component gets besides its own props: open at once, as its placeholder was clicked. */
export type DeferredProps = { defaultOpen?: boolean };

/**
 * A component whose code no first paint needs (Radix menus, popovers and dialogs are ~40 kB
 * gzip together), loaded when the browser is idle after the first paint, whether or not it is
 * on the screen yet. Until then `Placeholder` draws the same trigger; a click on it loads the
 * code at once and opens the real component (`defaultOpen`), so an early click is never lost.
 */
export function deferred<P extends object>(
  load: () => Promise<ComponentType<P & DeferredProps>>,
  Placeholder: ComponentType<P & { onOpen: () => void }>,
): ComponentType<P> {
  let loading: Promise<ComponentType<P & DeferredProps>> | null = null;
  let loaded: ComponentType<P & DeferredProps> | null = null;
  const get = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null; // a later click tries again
        throw error;
      },
    ));
  if (typeof window !== "undefined") void whenIdle().then(get);

  function Deferred(props: P) {
    // The placeholder first, also when the code is already here: it is what the server drew.
    const [Real, setReal] = useState<ComponentType<P & DeferredProps> | null>(null);
    const [openAtLoad, setOpenAtLoad] = useState(false);
    useEffect(() => {
      let live = true;
      const show = (component: ComponentType<P & DeferredProps>) => live && setReal(() => component);
      if (loaded) show(loaded);
      else void whenIdle().then(get).then(show);
      return () => {
        live = false;
      };
    }, []);
    if (Real) return <Real {...props} defaultOpen={openAtLoad} />;
    return (
      <Placeholder
        {...props}
        onOpen={() => {
          setOpenAtLoad(true);
          void get().then((component) => setReal(() => component));
        }}
      />
    );
  }
  return Deferred;
}
