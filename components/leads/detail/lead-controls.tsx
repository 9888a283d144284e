"use client";
import { lazy, Suspense, type ComponentProps, type ComponentType } from "react";

/**
 * The lead's edit controls (status and owner selects, edit and note forms, a reply's reading
 * form and buttons, their server actions: about 4 kB gzip), loaded only where a lead is shown.
 * The leads table shows one in its side panel only when the URL names it, yet every client component its page can render is part of
 * the page's first load. The server renders them as before; the browser loads their code while
 * the page hydrates, each control keeping its server HTML until then (its own Suspense boundary,
 * so the rest of the page does not wait). React.lazy rather than next/dynamic, whose loader
 * would cost /leads about what it saves.
 */
function lazyControl<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(() => load().then((component) => ({ default: component })));
  function LazyControl(props: P) {
    return (
      <Suspense>
        <Lazy {...(props as ComponentProps<typeof Lazy>)} />
      </Suspense>
    );
  }
  return LazyControl;
}

export const StatusControl = lazyControl(() => import("./status-control").then((m) => m.StatusControl));
export const OwnerControl = lazyControl(() => import("./owner-control").then((m) => m.OwnerControl));
export const EditLeadForm = lazyControl(() => import("./edit-lead-form").then((m) => m.EditLeadForm));
export const NoteForm = lazyControl(() => import("./note-form").then((m) => m.NoteForm));
export const ReadReplyForm = lazyControl(() => import("./read-reply-form").then((m) => m.ReadReplyForm));
export const UndoReplyButton = lazyControl(() => import("./reply-controls").then((m) => m.UndoReplyButton));
export const AddReferredLeadButton = lazyControl(() => import("./reply-controls").then((m) => m.AddReferredLeadButton));
export const CopyDraftButton = lazyControl(() => import("./reply-controls").then((m) => m.CopyDraftButton));
