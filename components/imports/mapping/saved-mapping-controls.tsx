"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteImportMappingAction, saveImportMappingAction } from "@/app/(app)/imports/[id]/mapping/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextInput } from "@/components/ui/field";
import { useAction } from "@/components/use-action";
import { toSavedColumns, type SavedColumns } from "@/lib/imports/saved-mappings/columns";
import type { ColumnTarget } from "@/lib/imports/types";

export type SavedMappingOption = { id: string; name: string; columns: SavedColumns; canChange: boolean; createdByName: string };

/** Save the current mapping under a name for the next file, or delete the saved one in use. */
export function SavedMappingControls({
  headers,
  columns,
  saved,
  selectedId,
  onSaved,
  onDeleted,
}: {
  headers: readonly string[];
  columns: readonly ColumnTarget[];
  saved: readonly SavedMappingOption[];
  selectedId: string | null;
  onSaved: (id: string) => void;
  onDeleted: () => void;
}) {
  const router = useRouter();
  const selected = saved.find((m) => m.id === selectedId) ?? null;
  const [name, setName] = useState(selected?.name ?? "");
  const saving = useAction(saveImportMappingAction, { showsErrors: true });
  const deleting = useAction(deleteImportMappingAction);

  function save() {
    const trimmed = name.trim();
    saving.run(
      { name: trimmed, columns: toSavedColumns(headers, columns) },
      {
        success: `Mapping “${trimmed}” saved.`,
        onSuccess: ({ id }) => {
          onSaved(id);
          router.refresh();
        },
      },
    );
  }

  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="w-64 space-y-1">
        <label htmlFor="mapping-name" className="block text-xs font-medium text-zinc-700">
          Save this mapping as
        </label>
        <TextInput
          id="mapping-name"
          value={name}
          maxLength={80}
          placeholder="Apollo weekly export"
          invalid={!!saving.fieldErrors.name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <Button variant="secondary" onClick={save} disabled={name.trim() === ""} busy={saving.pending}>
        {saving.pending ? "Saving…" : "Save mapping"}
      </Button>
      {selected?.canChange ? (
        <ConfirmDialog
          trigger={
            <Button variant="ghost" busy={deleting.pending}>
              Delete saved mapping
            </Button>
          }
          title={`Delete the saved mapping “${selected.name}”?`}
          description="Imports already started with it keep their columns. Nobody in the workspace can pick it any more."
          confirmLabel="Delete"
          onConfirm={() =>
            deleting.run(
              { mappingId: selected.id },
              {
                success: `Mapping “${selected.name}” deleted.`,
                onSuccess: () => {
                  onDeleted();
                  router.refresh();
                },
              },
            )
          }
        />
      ) : null}
      {saving.error && !saving.pending ? (
        <p role="alert" className="w-full text-xs text-red-700">
          {saving.fieldErrors.name?.join(" ") ?? saving.fieldErrors.columns?.join(" ") ?? saving.error}
        </p>
      ) : null}
    </div>
  );
}
