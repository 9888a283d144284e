"use client";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { findCompanyChoices } from "@/app/(app)/leads/[leadId]/actions";
import { Field, TextInput } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { formText } from "@/components/ui/submit-handler";
import type { CompanyChoice } from "@/lib/companies/company-choices";

/** A company of the workspace, or (`id` null) one to add with the lead's save. */
type Company = { id: string | null; name: string };
type Item = { company: Company; domain?: string | null; leadCount?: number };

/** What a form holding a CompanyPicker sends for it: the chosen company (blank: none), and the name to add when one was named. */
export function companyChoiceOf(form: FormData): { companyId: string; newCompanyName?: string } {
  const named = form.get("newCompanyName");
  return { companyId: formText(form, "companyId"), ...(named === null ? {} : { newCompanyName: String(named) }) };
}

/** How long typing pauses before the companies are searched. */
const SEARCH_PAUSE_MS = 200;

/**
 * The lead's company in the edit form: a combobox over the workspace's companies (the WAI-ARIA
 * pattern: arrows move through the list, Enter chooses, Escape closes). The form sends the
 * chosen company's id as `companyId`, blank for none (the field cleared), or a name no company
 * has as `newCompanyName` ("Add … as a new company": added with the lead's save, not before, so
 * an abandoned edit leaves no company behind). Text typed but not chosen from the list is sent
 * as it is, and the action's schema answers on this field ("Choose a company from the list"),
 * keeping the typing: a half-typed name never unlinks the lead or links it to a guess.
 */
export function CompanyPicker({ id, initial, error }: { id: string; initial: Company | null; error?: string[] }) {
  const [text, setText] = useState(initial?.name ?? "");
  const [chosen, setChosen] = useState<Company | null>(initial);
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<CompanyChoice[]>([]);
  const [active, setActive] = useState(-1);
  const [searchError, setSearchError] = useState<string | null>(null);
  // A new object per search, so that asking the same again (focus after focus) asks again.
  const [query, setQuery] = useState<{ q: string } | null>(null);
  const [searching, setSearching] = useState(false);
  const listId = `${id}-companies`;

  // One search per pause in the typing; an answer that arrives after a newer question is dropped.
  const asked = useRef(0);
  useEffect(() => {
    if (query === null) return;
    const ask = ++asked.current;
    const timer = setTimeout(async () => {
      const result = await findCompanyChoices({ q: query.q }).catch(() => null);
      if (ask !== asked.current) return;
      if (result?.ok) {
        setOptions(result.data);
        setSearchError(null);
      } else {
        setOptions([]);
        setSearchError(result ? result.error : "Could not reach the server to search companies. Try again.");
      }
      setActive(-1);
      setSearching(false);
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const search = (q: string) => {
    setOpen(true);
    setSearching(true);
    setQuery({ q: q.trim() });
  };
  const choose = (company: Company) => {
    setChosen(company);
    setText(company.name);
    setOpen(false);
  };

  const typed = text.trim();
  const named = options.some((o) => o.name.toLowerCase() === typed.toLowerCase());
  const items: Item[] = [
    ...options.map((o) => ({ company: { id: o.id, name: o.name }, domain: o.domain, leadCount: o.leadCount })),
    ...(typed && !named && !searching && !searchError ? [{ company: { id: null, name: typed } }] : []),
  ];

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) return search(text === chosen?.name ? "" : text);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (items.length ? (i + step + items.length) % items.length : -1));
    } else if (event.key === "Enter" && open && items[active]) {
      event.preventDefault();
      choose(items[active].company);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
    }
  }

  // What the form sends: the chosen company (or the one to add), none for a cleared field, else the typing itself.
  const isChosen = chosen !== null && typed === chosen.name;
  const value = isChosen ? (chosen.id ?? "") : typed;
  return (
    <Field id={id} label="Company" error={error} hint="Search the workspace's companies by name or domain; clear the field for none.">
      <div className="relative">
        <TextInput
          id={id}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open && items[active] ? `${listId}-${active}` : undefined}
          autoComplete="off"
          value={text}
          invalid={!!error?.length}
          onChange={(event) => {
            setText(event.target.value);
            search(event.target.value);
          }}
          onFocus={() => search(text === chosen?.name ? "" : text)}
          onBlur={() => {
            setOpen(false);
            // A name typed out in full is as good as picked from the list.
            const exact = options.filter((o) => o.name.toLowerCase() === typed.toLowerCase());
            if (exact.length === 1 && exact[0]!.id !== chosen?.id) choose({ id: exact[0]!.id, name: exact[0]!.name });
          }}
          onKeyDown={onKeyDown}
        />
        <input type="hidden" name="companyId" value={value} data-initial={initial?.id ?? ""} />
        {isChosen && chosen.id === null ? <input type="hidden" name="newCompanyName" value={chosen.name} /> : null}
        {open ? (
          <ul
            id={listId}
            role="listbox"
            aria-label="Companies"
            className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-md border border-zinc-200 bg-white py-1 text-sm shadow-lg"
            // Keeps the focus in the field while an option is clicked.
            onMouseDown={(event) => event.preventDefault()}
          >
            {items.map(({ company, domain, leadCount }, i) => (
              <li
                key={company.id ?? "new"}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={cn("flex cursor-pointer px-2.5 py-1.5", i === active && "bg-accent-50")}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(company)}
              >
                {company.id === null ? (
                  <span className="break-words text-accent-700">Add “{company.name}” as a new company</span>
                ) : (
                  <span className="min-w-0 flex-1">
                    <span className="flex items-baseline gap-2">
                      <span className="min-w-0 flex-1 truncate font-medium text-zinc-900">{company.name}</span>
                      <span className="shrink-0 text-xs text-zinc-500">
                        {leadCount!.toLocaleString()} {leadCount === 1 ? "lead" : "leads"}
                      </span>
                    </span>
                    {domain ? <span className="block truncate text-xs text-zinc-500">{domain}</span> : null}
                  </span>
                )}
              </li>
            ))}
            {searchError ? (
              <li role="presentation" className="px-2.5 py-1.5 text-red-600">
                {searchError}
              </li>
            ) : items.length === 0 ? (
              <li role="presentation" className="px-2.5 py-1.5 text-zinc-500">
                {searching ? "Searching…" : "No company of this workspace matches."}
              </li>
            ) : null}
          </ul>
        ) : null}
      </div>
    </Field>
  );
}
