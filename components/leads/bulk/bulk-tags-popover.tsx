"use client";
import { Popover } from "radix-ui";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextInput } from "@/components/ui/field";
import { tagProblem } from "@/lib/leads/bulk/tag-rule";

/** Adds or removes tags (comma-separated in the box) on the selected leads. */
export function BulkTagsPopover({ disabled, onSubmit }: { disabled: boolean; onSubmit: (tags: string[], mode: "add" | "remove") => void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);

  function submit(mode: "add" | "remove") {
    const parts = text
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const problem = parts.map(tagProblem).find(Boolean);
    if (parts.length === 0) return setError("Type at least one tag.");
    if (problem) return setError(problem);
    setOpen(false);
    setText("");
    setError(null);
    onSubmit(parts, mode);
  }

  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <Button variant="secondary" size="sm" disabled={disabled}>
          Tags
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content sideOffset={4} className="z-50 w-72 space-y-2 rounded-md border border-zinc-200 bg-white p-3 text-sm shadow-lg">
          <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
            Tags (separate with commas)
          </label>
          <TextInput
            id={id}
            value={text}
            invalid={error !== null}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                submit("add");
              }
            }}
          />
          {error ? (
            <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
              {error}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" size="sm" onClick={() => submit("remove")}>
              Remove tags
            </Button>
            <Button size="sm" onClick={() => submit("add")}>
              Add tags
            </Button>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
