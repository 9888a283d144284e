"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useAction } from "@/components/use-action";
import type { ApolloSearchResult } from "@/lib/integrations/apollo/import/search-for-workspace";
import type { ApolloImportEstimate } from "@/lib/integrations/apollo/import/start-apollo-import";
import { APOLLO_SEARCH_DISPLAY_CAP, APOLLO_SENIORITIES, type ApolloPeopleFilters } from "@/lib/integrations/apollo/people-search";
import type { MatchRule } from "@/lib/imports/types";
import { estimateApolloImportAction, searchApollo, startApolloImportAction } from "./actions";

const SENIORITY_LABELS: Record<(typeof APOLLO_SENIORITIES)[number], string> = {
  owner: "Owner",
  founder: "Founder",
  c_suite: "C-suite",
  partner: "Partner",
  vp: "VP",
  head: "Head",
  director: "Director",
  manager: "Manager",
  senior: "Senior",
  entry: "Entry",
  intern: "Intern",
};
const EMPLOYEE_RANGES = ["1,10", "11,50", "51,200", "201,500", "501,1000", "1001,5000", "5001,10000", "10001,1000000"];
const rangeLabel = (r: string) => {
  const [min, max] = r.split(",");
  return max === "1000000" ? `${Number(min).toLocaleString("en-US")}+` : `${min}–${Number(max).toLocaleString("en-US")}`;
};
const MATCH_RULES: Record<MatchRule, string> = {
  skip: "Skip people who are already leads",
  fill_empty: "Fill their empty fields only",
  overwrite: "Overwrite their fields with Apollo's",
};
const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((v) => v.trim())
    .filter(Boolean);
const n = (value: number) => value.toLocaleString("en-US");

type Selection = { kind: "people"; ids: string[] } | { kind: "first"; filters: ApolloPeopleFilters; count: number };

/**
 * Apollo's free People Search with filters, paged (Apollo shows 500 pages at most), and the
 * import: selected people or the first N matching. Before anything is spent, the estimate says
 * how many people Apollo will reveal and the most credits it can cost; the import starts only
 * once that is confirmed, and opens its progress page.
 */
export function ApolloSearch({ sandbox, userId, maxPeople }: { sandbox: boolean; userId: string; maxPeople: number }) {
  const router = useRouter();
  const search = useAction(searchApollo, { showsErrors: true });
  const estimate = useAction(estimateApolloImportAction, { showsErrors: true });
  const start = useAction(startApolloImportAction, { showsErrors: true });
  const [filters, setFilters] = useState<ApolloPeopleFilters>({});
  const [result, setResult] = useState<ApolloSearchResult | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [mode, setMode] = useState<"selected" | "first">("selected");
  const [firstCount, setFirstCount] = useState("25");
  const [onMatch, setOnMatch] = useState<MatchRule>("skip");
  const [assignToMe, setAssignToMe] = useState(false);
  const [tags, setTags] = useState("");
  const [reenrich, setReenrich] = useState(false);
  const [quote, setQuote] = useState<ApolloImportEstimate | null>(null);

  function runSearch(next: ApolloPeopleFilters, page: number) {
    search.run({ filters: next, page }, { onSuccess: (r) => setResult(r) });
  }

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    const next: ApolloPeopleFilters = {
      titles: list(text("titles")),
      seniorities: form.getAll("seniorities").map(String) as ApolloPeopleFilters["seniorities"],
      locations: list(text("locations")),
      organizationDomains: list(text("domains")),
      employeeRanges: form.getAll("employeeRanges").map(String),
      keywords: text("keywords").trim() || undefined,
    };
    setFilters(next);
    setSelected(new Set());
    setQuote(null);
    runSearch(next, 1);
  }

  const selection = (): Selection =>
    mode === "selected" ? { kind: "people", ids: [...selected] } : { kind: "first", filters, count: Number(firstCount) };

  function toggle(id: string) {
    setQuote(null);
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  const pageIds = result?.people.map((p) => p.id) ?? [];
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const rules = {
    onMatch,
    owner: assignToMe ? { kind: "member" as const, userId } : { kind: "none" as const },
    tags: list(tags),
  };

  return (
    <div className="space-y-6">
      {sandbox ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Apollo is connected to the sandbox: every person shown here is invented sample data, and no real credits are spent.
        </p>
      ) : null}

      <form onSubmit={onSearch} aria-label="Search Apollo" noValidate className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="apollo-titles" label="Job titles" hint="Separated by commas: CTO, Head of Sales" error={search.fieldErrors.filters}>
            <TextInput id="apollo-titles" name="titles" />
          </Field>
          <Field id="apollo-locations" label="Locations" hint="Where people live: cities, states or countries, separated by commas">
            <TextInput id="apollo-locations" name="locations" />
          </Field>
          <Field id="apollo-domains" label="Company domains" hint="Separated by commas: acme.com, globex.com">
            <TextInput id="apollo-domains" name="domains" />
          </Field>
          <Field id="apollo-keywords" label="Keywords">
            <TextInput id="apollo-keywords" name="keywords" />
          </Field>
        </div>
        <fieldset>
          <legend className="text-xs font-medium text-zinc-700">Seniority</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {APOLLO_SENIORITIES.map((s) => (
              <label key={s} className="inline-flex items-center gap-1.5 text-sm text-zinc-800">
                <input type="checkbox" name="seniorities" value={s} /> {SENIORITY_LABELS[s]}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend className="text-xs font-medium text-zinc-700">Company size (employees)</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {EMPLOYEE_RANGES.map((r) => (
              <label key={r} className="inline-flex items-center gap-1.5 text-sm text-zinc-800">
                <input type="checkbox" name="employeeRanges" value={r} /> {rangeLabel(r)}
              </label>
            ))}
          </div>
        </fieldset>
        <FormError error={search.error} fieldErrors={{}} />
        <Button type="submit" busy={search.pending}>
          {search.pending ? "Searching…" : "Search"}
        </Button>
      </form>

      {result ? (
        <section aria-labelledby="apollo-results" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="apollo-results" className="text-sm font-semibold text-zinc-900">
              {n(result.totalEntries)} people match{" "}
              {result.sandbox ? (
                <span className="ml-1 align-middle">
                  <Badge tone="amber">Sample data</Badge>
                </span>
              ) : null}
            </h2>
            <p className="text-xs text-zinc-600">
              Apollo shows the first {n(APOLLO_SEARCH_DISPLAY_CAP)} of a search: narrow the filters to reach the rest. Emails are revealed
              when you import.
            </p>
          </div>
          {result.people.length === 0 ? (
            <p className="text-sm text-zinc-700">Nobody matches these filters: widen them and search again.</p>
          ) : (
            <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
              <table className="min-w-full text-sm">
                <caption className="sr-only">People found in Apollo, page {result.page}</caption>
                <thead className="bg-zinc-50 text-left text-xs text-zinc-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">
                      <input
                        type="checkbox"
                        aria-label="Select everyone on this page"
                        checked={allOnPage}
                        onChange={() => {
                          setQuote(null);
                          setSelected((current) => {
                            const next = new Set(current);
                            for (const id of pageIds) {
                              if (allOnPage) next.delete(id);
                              else next.add(id);
                            }
                            return next;
                          });
                        }}
                      />
                    </th>
                    <th scope="col" className="px-3 py-2">
                      Name
                    </th>
                    <th scope="col" className="px-3 py-2">
                      Title
                    </th>
                    <th scope="col" className="px-3 py-2">
                      Company
                    </th>
                    <th scope="col" className="px-3 py-2">
                      Email
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100">
                  {result.people.map((p) => {
                    const name = `${p.firstName} ${p.lastName}`.trim() || "(no name shown)";
                    return (
                      <tr key={p.id}>
                        <td className="px-3 py-2">
                          <input type="checkbox" aria-label={`Select ${name}`} checked={selected.has(p.id)} onChange={() => toggle(p.id)} />
                        </td>
                        <td className="px-3 py-2 text-zinc-900">{name}</td>
                        <td className="px-3 py-2 text-zinc-700">{p.title}</td>
                        <td className="px-3 py-2 text-zinc-700">{p.company}</td>
                        <td className="px-3 py-2 text-zinc-600">{p.hasEmail === false ? "None known" : "Revealed on import"}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <nav aria-label="Result pages" className="flex items-center gap-3 text-sm">
            <Button
              variant="secondary"
              size="sm"
              disabled={result.page <= 1}
              busy={search.pending}
              onClick={() => runSearch(filters, result.page - 1)}
            >
              Previous page
            </Button>
            <span className="text-zinc-700">
              Page {n(result.page)} of {n(result.lastPage)}
            </span>
            <Button
              variant="secondary"
              size="sm"
              disabled={result.page >= result.lastPage}
              busy={search.pending}
              onClick={() => runSearch(filters, result.page + 1)}
            >
              Next page
            </Button>
          </nav>

          <form
            aria-label="Import from Apollo"
            noValidate
            className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4"
            onSubmit={(event) => {
              event.preventDefault();
              setQuote(null);
              estimate.run({ selection: selection(), reenrich }, { onSuccess: setQuote });
            }}
          >
            <fieldset>
              <legend className="text-sm font-semibold text-zinc-900">Import and enrich</legend>
              <div className="mt-2 space-y-2 text-sm text-zinc-800">
                <label className="flex items-center gap-2">
                  <input type="radio" name="mode" checked={mode === "selected"} onChange={() => (setMode("selected"), setQuote(null))} />
                  The people selected ({n(selected.size)})
                </label>
                <div className="flex flex-wrap items-center gap-2">
                  <label className="flex items-center gap-2">
                    <input type="radio" name="mode" checked={mode === "first"} onChange={() => (setMode("first"), setQuote(null))} />
                    The first
                  </label>
                  <TextInput
                    aria-label="How many of the first people matching to import"
                    type="number"
                    min={1}
                    max={maxPeople}
                    value={firstCount}
                    onChange={(e) => (setFirstCount(e.target.value), setMode("first"), setQuote(null))}
                    className="w-24"
                  />
                  <span>people matching (at most {n(maxPeople)})</span>
                </div>
              </div>
            </fieldset>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id="apollo-match" label="When someone is already a lead">
                <Select id="apollo-match" value={onMatch} onChange={(e) => (setOnMatch(e.target.value as MatchRule), setQuote(null))}>
                  {Object.entries(MATCH_RULES).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field id="apollo-tags" label="Tags for the new leads" hint="Separated by commas" error={start.fieldErrors.rules}>
                <TextInput id="apollo-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
              </Field>
            </div>
            <div className="space-y-1 text-sm text-zinc-800">
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={assignToMe} onChange={(e) => setAssignToMe(e.target.checked)} /> Assign the new leads to me
              </label>
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={reenrich} onChange={(e) => (setReenrich(e.target.checked), setQuote(null))} /> Reveal again
                people this workspace has revealed before (spends credits again)
              </label>
            </div>
            <FormError error={estimate.error} fieldErrors={{}} />
            <Button type="submit" variant="secondary" disabled={mode === "selected" && selected.size === 0} busy={estimate.pending}>
              {estimate.pending ? "Working out the cost…" : "Show the cost"}
            </Button>
          </form>

          {quote ? (
            <div
              role="region"
              aria-label="Credit estimate"
              className="space-y-3 rounded-lg border border-accent-200 bg-accent-50 p-4 text-sm text-zinc-900"
            >
              <p>
                <strong>{n(quote.personIds.length)}</strong> {quote.personIds.length === 1 ? "person" : "people"} will be imported. Apollo
                will be asked to reveal <strong>{n(quote.toEnrich)}</strong>
                {quote.alreadyEnriched > 0 && !reenrich ? `; ${n(quote.alreadyEnriched)} were revealed before and cost nothing` : ""}.
              </p>
              <p>
                This import can cost at most <strong>{n(quote.maxCredits)} Apollo credits</strong> (Apollo charges only the people it
                finds).{quote.sandbox ? " Sandbox: these are sample credits, nothing real is spent." : ""}
              </p>
              <FormError error={start.error} fieldErrors={{}} />
              <div className="flex gap-2">
                <Button
                  busy={start.pending}
                  onClick={() =>
                    start.run(
                      { personIds: quote.personIds, rules, reenrich, confirmedMaxCredits: quote.maxCredits },
                      { onSuccess: (started) => router.push(`/imports/${started.importId}`) },
                    )
                  }
                >
                  {start.pending ? "Starting…" : `Import and enrich (up to ${n(quote.maxCredits)} credits)`}
                </Button>
                <Button variant="ghost" onClick={() => setQuote(null)}>
                  Cancel
                </Button>
              </div>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
