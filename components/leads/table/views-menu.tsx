"use client";
import { Check } from "lucide-react";
import { Dialog, DropdownMenu } from "radix-ui";
import Link from "next/link";
import { useState } from "react";
import { deleteLeadView, saveLeadView, updateLeadView } from "@/app/(app)/leads/view-actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { MenuContent, MenuItem } from "@/components/ui/menu";
import { useAction } from "@/components/use-action";
import type { LeadListState } from "@/lib/leads/list-state-shape";
import type { SavedView } from "@/lib/saved-views/saved-views";
import type { LeadListExtras } from "./lead-list-href";
import { ViewsTrigger, viewsTriggerProps } from "./toolbar-menus";
import type { LeadListNavigation } from "./use-lead-list-navigation";

/**
 * A saved view with its link, written on the server in the table's canonical form
 * (lead-list-href.ts), and whether this person may delete it (its owner, or an admin for a
 * shared view).
 */
export type LeadViewOption = SavedView & { href: string; deletable: boolean };

/** Saved views: applying one is navigating to its URL; only its owner saves changes to it, and deletes it unless an admin does. */
export function ViewsMenu(props: {
  state: LeadListState;
  extras: LeadListExtras;
  nav: LeadListNavigation;
  views: LeadViewOption[];
  currentUserId: string;
  defaultOpen?: boolean;
}) {
  const { state, extras, nav, views, currentUserId, defaultOpen } = props;
  const [dialog, setDialog] = useState<"save" | "delete" | null>(null);
  const { params, current, changed } = viewsTriggerProps(props);
  const mine = views.filter((v) => v.ownerId === currentUserId);
  const shared = views.filter((v) => v.ownerId !== currentUserId);
  const update = useAction(updateLeadView);
  const remove = useAction(deleteLeadView);

  const item = (view: LeadViewOption) => (
    <MenuItem key={view.id} asChild>
      <Link href={view.href}>
        <Check aria-hidden className={view.id === current?.id ? "size-3.5" : "invisible size-3.5"} />
        <span className="flex-1 truncate">{view.name}</span>
        {view.ownerId !== currentUserId ? (
          <span className="text-xs text-zinc-500">{view.ownerName}</span>
        ) : view.shared ? (
          <span className="text-xs text-zinc-500">Shared</span>
        ) : null}
      </Link>
    </MenuItem>
  );

  return (
    <>
      <DropdownMenu.Root defaultOpen={defaultOpen}>
        <DropdownMenu.Trigger asChild>
          <ViewsTrigger current={current} changed={changed} />
        </DropdownMenu.Trigger>
        <MenuContent align="start" className="w-72">
          <MenuItem asChild>
            <Link href="/leads">
              <Check aria-hidden className={current || Object.keys(params).length ? "invisible size-3.5" : "size-3.5"} />
              All leads
            </Link>
          </MenuItem>
          {mine.length ? (
            <DropdownMenu.Label className="px-2 pt-2 pb-1 text-xs font-medium text-zinc-500">Your views</DropdownMenu.Label>
          ) : null}
          {mine.map(item)}
          {shared.length ? (
            <DropdownMenu.Label className="px-2 pt-2 pb-1 text-xs font-medium text-zinc-500">Shared by teammates</DropdownMenu.Label>
          ) : null}
          {shared.map(item)}
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-100" />
          {current && current.ownerId === currentUserId && changed ? (
            <MenuItem
              className="pl-7.5"
              onSelect={() => update.run({ viewId: current.id, params }, { success: `Saved changes to “${current.name}”.` })}
            >
              Save changes to “{current.name}”
            </MenuItem>
          ) : null}
          <MenuItem onSelect={() => setDialog("save")} className="pl-7.5">
            Save as a new view…
          </MenuItem>
          {current?.deletable ? (
            <MenuItem className="pl-7.5 text-red-700" onSelect={() => setDialog("delete")}>
              Delete “{current.name}”…
            </MenuItem>
          ) : null}
        </MenuContent>
      </DropdownMenu.Root>
      <SaveViewDialog
        open={dialog === "save"}
        onOpenChange={(open) => setDialog(open ? "save" : null)}
        params={params}
        onSaved={(id) => nav.go({ ...state, cursor: undefined, before: false }, { ...extras, view: id })}
      />
      {current ? (
        <ConfirmDialog
          open={dialog === "delete"}
          onOpenChange={(open) => setDialog(open ? "delete" : null)}
          title={`Delete the view “${current.name}”?`}
          description={
            current.ownerId !== currentUserId
              ? `${current.ownerName} shared it with the workspace; nobody will see it any more. The leads are not touched.`
              : current.shared
                ? "Teammates you shared it with will no longer see it. The leads are not touched."
                : "The leads are not touched."
          }
          confirmLabel="Delete view"
          onConfirm={() =>
            remove.run({ viewId: current.id }, { success: "View deleted.", onSuccess: () => nav.go(state, { ...extras, view: undefined }) })
          }
        />
      ) : null}
    </>
  );
}

function SaveViewDialog({
  open,
  onOpenChange,
  params,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  params: Record<string, string>;
  onSaved: (id: string) => void;
}) {
  const save = useAction(saveLeadView, { showsErrors: true });
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-900/30" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-full max-w-sm -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <Dialog.Title className="text-sm font-semibold">Save view</Dialog.Title>
          <Dialog.Description className="mt-1 mb-4 text-sm text-zinc-600">
            Keeps the filters, search, sort, page size and columns you see now.
          </Dialog.Description>
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              const form = new FormData(e.currentTarget);
              save.run(
                { name: String(form.get("name") ?? ""), shared: form.get("shared") === "on", params },
                {
                  success: "View saved.",
                  onSuccess: ({ id }) => {
                    onOpenChange(false);
                    onSaved(id);
                  },
                },
              );
            }}
          >
            <Field id="view-name" label="Name" error={save.fieldErrors.name}>
              <TextInput id="view-name" name="name" required maxLength={80} autoFocus invalid={!!save.fieldErrors.name} />
            </Field>
            <label className="flex items-center gap-2 text-sm text-zinc-700">
              <input type="checkbox" name="shared" className="accent-accent-600" />
              Share with the workspace
            </label>
            <FormError error={save.error} fieldErrors={save.fieldErrors} />
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" busy={save.pending}>
                Save view
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
