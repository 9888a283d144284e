"use client";
import { Dialog } from "radix-ui";
import { CreateWorkspaceForm } from "./create-workspace-form";

/** Opened from the workspace switcher's "New workspace" item. */
export function NewWorkspaceDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/30" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-full max-w-sm -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <Dialog.Title className="text-sm font-semibold">New workspace</Dialog.Title>
          <Dialog.Description className="mt-1 mb-4 text-sm text-zinc-600">
            A separate space with its own leads, campaigns and team.
          </Dialog.Description>
          <CreateWorkspaceForm onCreated={() => onOpenChange(false)} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
