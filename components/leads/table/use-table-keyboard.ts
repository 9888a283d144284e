"use client";
import { useEffect, useRef } from "react";

type Handlers = {
  rowCount: number;
  activeIndex: number;
  setActiveIndex: (index: number) => void;
  open: (index: number) => void;
  toggleSelect: (index: number) => void;
  focusSearch: () => void;
  /** Present while the side panel is open: Escape closes it. */
  close?: () => void;
};

/** Keys that belong to what has focus: typing, menus, dialogs, and Enter on a link or button. */
function ownsKeys(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    !!target.closest("input, textarea, select, [contenteditable], [role=menu], [role=dialog], [role=listbox]")
  );
}

/** j/k or arrows move, Enter opens, x selects, / searches, Escape closes the panel (as in Linear). */
export function useTableKeyboard(handlers: Handlers) {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.metaKey || event.ctrlKey || event.altKey || event.defaultPrevented || ownsKeys(event.target)) return;
      const h = ref.current;
      const target = event.target as HTMLElement | null;
      const move = (delta: number) => {
        if (h.rowCount === 0) return;
        event.preventDefault();
        const from = h.activeIndex < 0 ? (delta > 0 ? -1 : h.rowCount) : h.activeIndex;
        h.setActiveIndex(Math.min(h.rowCount - 1, Math.max(0, from + delta)));
      };
      switch (event.key) {
        case "j":
        case "ArrowDown":
          return move(1);
        case "k":
        case "ArrowUp":
          return move(-1);
        case "Enter":
          if (h.activeIndex < 0 || target?.closest("a, button")) return;
          event.preventDefault();
          return h.open(h.activeIndex);
        case "x":
          if (h.activeIndex < 0) return;
          event.preventDefault();
          return h.toggleSelect(h.activeIndex);
        case "/":
          event.preventDefault();
          return h.focusSearch();
        case "Escape":
          if (!h.close) return;
          event.preventDefault();
          return h.close();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
