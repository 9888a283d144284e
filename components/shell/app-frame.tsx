"use client";
import { Menu, X } from "lucide-react";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { ProductMark } from "./product-mark";
import { useWideScreen } from "./wide-screen";

/**
 * The app's frame: the navigation beside the page on a wide screen; on a phone-sized one a top
 * bar whose menu button slides the same navigation in over the page (one copy of it, so the
 * notification bell and the menus keep a single state). While it is open the page is inert;
 * Escape, the backdrop, a link or widening the window close it, and focus goes back to the button.
 */
export function AppFrame({ navigation, children }: { navigation: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const drawer = useRef<HTMLDivElement>(null);
  const pathname = usePathname();

  const returnFocus = useRef(false);
  const close = (giveFocusBack: boolean) => {
    returnFocus.current = giveFocusBack;
    setOpen(false);
  };
  // Once rendered closed: until then the button's bar is still inert and refuses focus.
  useEffect(() => {
    if (open || !returnFocus.current) return;
    returnFocus.current = false;
    menuButton.current?.focus();
  }, [open]);

  // A page reached from the drawer (or a notification, or a shortcut) closes it.
  useEffect(() => setOpen(false), [pathname]);

  // Widening the window puts the navigation back beside the page: nothing is left inert.
  const wide = useWideScreen();
  useEffect(() => {
    if (wide) setOpen(false);
  }, [wide]);

  useEffect(() => {
    if (!open) return;
    drawer.current?.querySelector<HTMLElement>("nav a")?.focus();
    const onKey = (event: KeyboardEvent) => {
      // A menu or popover open inside the drawer closes alone: Radix marks that Escape handled (preventDefault).
      if (event.key === "Escape" && !event.defaultPrevented) close(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <div className="flex h-dvh flex-col overflow-hidden md:flex-row">
      {/* The first stop of the Tab key: past the navigation, straight to the page. */}
      <a
        href="#main-content"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-accent-700 shadow-lg ring-2 ring-accent-500 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to main content
      </a>
      <div
        className="flex shrink-0 items-center gap-2 border-b border-zinc-200 bg-white px-3 py-2 text-sm font-semibold md:hidden"
        inert={open}
      >
        <button
          ref={menuButton}
          type="button"
          aria-label="Open navigation"
          aria-expanded={open}
          aria-controls="app-navigation"
          onClick={() => setOpen(true)}
          className="rounded-md p-1.5 text-zinc-700 hover:bg-zinc-100"
        >
          <Menu aria-hidden className="size-5" />
        </button>
        <ProductMark />
      </div>
      {open ? (
        // For the pointer only: the keyboard has Escape and the drawer's own close button.
        <div aria-hidden onClick={() => close(true)} className="fixed inset-0 z-30 bg-zinc-900/40 md:hidden" />
      ) : null}
      <div
        id="app-navigation"
        ref={drawer}
        // Closed on a phone-sized screen it is out of view and out of the tab order (invisible).
        className={cn(
          "fixed inset-y-0 left-0 z-40 flex transition-transform md:visible md:static md:z-auto md:translate-x-0 md:transition-none",
          open ? "translate-x-0 shadow-xl" : "invisible -translate-x-full",
        )}
        onClick={(event) => {
          if ((event.target as HTMLElement).closest("nav a")) setOpen(false);
        }}
      >
        {navigation}
        {open ? (
          <button
            type="button"
            aria-label="Close navigation"
            onClick={() => close(true)}
            className="absolute top-2 -right-11 rounded-md bg-white p-1.5 text-zinc-700 shadow md:hidden"
          >
            <X aria-hidden className="size-5" />
          </button>
        ) : null}
      </div>
      {/* Relative: a visually hidden label (absolute) inside a long table stays within the page's own
          scrolling, instead of lengthening the document so that the whole window scrolled. */}
      <main
        id="main-content"
        tabIndex={-1}
        className="relative flex min-h-0 min-w-0 flex-1 flex-col overflow-auto outline-none"
        inert={open}
      >
        {children}
      </main>
    </div>
  );
}
