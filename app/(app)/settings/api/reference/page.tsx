import type { Metadata } from "next";
import Link from "next/link";
import { requirePageSession } from "@/app/_server/session";
import { TextWithCode } from "@/components/ui/text-with-code";
import { can } from "@/lib/auth/permissions";
import { apiReference, type ReferenceField } from "@/lib/public-api/reference";

export const metadata: Metadata = { title: "API reference" };

function FieldTable({
  caption,
  fields,
  withIn = false,
}: {
  caption: string;
  fields: (ReferenceField & { in?: string })[];
  withIn?: boolean;
}) {
  if (fields.length === 0) return null;
  return (
    <table className="mt-2 w-full text-left text-xs">
      <caption className="mb-1 text-left text-xs font-semibold text-zinc-700">{caption}</caption>
      <thead className="bg-zinc-50 text-zinc-600">
        <tr>
          <th scope="col" className="px-2 py-1 font-medium">
            Name
          </th>
          {withIn ? (
            <th scope="col" className="px-2 py-1 font-medium">
              In
            </th>
          ) : null}
          <th scope="col" className="px-2 py-1 font-medium">
            Type
          </th>
          <th scope="col" className="px-2 py-1 font-medium">
            Description
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {fields.map((f) => (
          <tr key={`${f.in ?? ""}${f.name}`}>
            <td className="px-2 py-1 align-top font-mono">
              {f.name}
              {f.required ? <span className="ml-1 text-red-700">required</span> : null}
            </td>
            {withIn ? <td className="px-2 py-1 align-top">{f.in}</td> : null}
            <td className="px-2 py-1 align-top font-mono break-all text-zinc-700">{f.type}</td>
            <td className="px-2 py-1 align-top text-zinc-700">{f.description ? <TextWithCode text={f.description} /> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The REST API's reference, rendered on the server from the OpenAPI document (lib/public-api/reference.ts). */
export default async function ApiReferencePage() {
  const session = await requirePageSession();
  const reference = apiReference();
  return (
    <div className="max-w-5xl space-y-6">
      <section className="rounded-lg border border-zinc-200 bg-white p-5">
        <h2 className="text-base font-semibold">{reference.title}</h2>
        <p className="mt-1 text-sm text-zinc-700">
          <TextWithCode text={reference.description} />
        </p>
        <p className="mt-2 text-sm text-zinc-700">
          The machine-readable document:{" "}
          <a href="/api/v1/openapi.json" className="text-accent-700 underline">
            /api/v1/openapi.json
          </a>{" "}
          (OpenAPI 3.1). {/* Settings → API is an admin's page: anyone else would follow the link to "forbidden". */}
          {can(session.current.role, "api.manage") ? (
            <>
              Keys are made in{" "}
              <Link href="/settings/api" className="text-accent-700 underline">
                Settings → API
              </Link>
              .
            </>
          ) : (
            "An admin of this workspace makes the keys, in Settings → API."
          )}
        </p>
        <nav aria-label="Operations" className="mt-3">
          <ul className="grid gap-1 text-sm sm:grid-cols-2">
            {reference.operations.map((op) => (
              <li key={op.id}>
                <a href={`#${op.id}`} className="text-accent-700 underline">
                  <span className="font-mono">{op.method}</span> {op.path}
                </a>{" "}
                — {op.summary}
              </li>
            ))}
          </ul>
        </nav>
      </section>
      {reference.operations.map((op) => (
        <section key={op.id} id={op.id} aria-labelledby={`${op.id}-title`} className="rounded-lg border border-zinc-200 bg-white p-5">
          <h2 id={`${op.id}-title`} className="text-sm font-semibold">
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{op.method}</span>{" "}
            <span className="font-mono">{op.path}</span> — {op.summary}
          </h2>
          {op.description ? (
            <p className="mt-1 text-sm text-zinc-700">
              <TextWithCode text={op.description} />
            </p>
          ) : null}
          <FieldTable caption="Parameters" fields={op.parameters} withIn />
          <FieldTable caption="Body (JSON)" fields={op.body} />
          <FieldTable
            caption={`Answer ${op.success.status}${op.success.schemaName ? ` (${op.success.schemaName})` : ""}`}
            fields={op.success.fields}
          />
          {op.success.fields.length === 0 ? <p className="mt-2 text-xs text-zinc-700">Answer {op.success.status}: no body.</p> : null}
          <h3 className="mt-3 text-xs font-semibold text-zinc-700">Errors</h3>
          <ul className="mt-1 space-y-0.5 text-xs text-zinc-700">
            {op.errors.map((e) => (
              <li key={e.status}>
                <span className="font-mono">{e.status}</span> <TextWithCode text={e.description} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
