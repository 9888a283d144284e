"use client";
import { OctagonX } from "lucide-react";
import { useState } from "react";
import { messageFrameDocument } from "@/components/outbox/message-frame";
import { cn } from "@/components/ui/cn";
import type { ReviewSample, ReviewSampleEmail } from "@/lib/campaigns/approval/review-samples";

/**
 * The review's rendered samples: a few real leads of the audience, and for each every step and
 * variant exactly as it would be sent to them (From, subject, headers, HTML in a sandboxed
 * frame, text), or why it would be blocked for them. One email shows at a time.
 */
export function ReviewSamples({ samples }: { samples: ReviewSample[] }) {
  const [leadIndex, setLeadIndex] = useState(0);
  const [emailIndex, setEmailIndex] = useState(0);
  const [part, setPart] = useState<"html" | "text">("html");
  const sample = samples[leadIndex];
  const email = sample?.emails[emailIndex] ?? sample?.emails[0];
  const blocked = samples.reduce((n, s) => n + s.emails.filter((e) => !e.result.ok).length, 0);
  return (
    <section aria-labelledby="review-samples-title" className="space-y-3">
      <div>
        <h2 id="review-samples-title" className="text-sm font-semibold">
          Rendered samples
        </h2>
        <p className="text-xs text-zinc-600">
          {samples.length === 0
            ? "No lead of the audience can be emailed, so there is nothing to render."
            : `Every email as ${samples.length === 1 ? "a randomly picked lead" : `${samples.length} randomly picked leads`} of the audience would receive it.`}
          {blocked > 0 ? ` ${blocked} of these ${blocked === 1 ? "email is" : "emails are"} blocked for its lead.` : ""}
        </p>
      </div>
      {sample && email ? (
        <div className="rounded-lg border border-zinc-200 bg-white">
          <div className="space-y-2 border-b border-zinc-100 p-3">
            <Choices label="Sample lead">
              {samples.map((s, i) => (
                <Choice
                  key={s.lead.id}
                  pressed={i === leadIndex}
                  onClick={() => {
                    setLeadIndex(i);
                    setEmailIndex(0);
                  }}
                >
                  {s.lead.name}
                </Choice>
              ))}
            </Choices>
            <Choices label="Email">
              {sample.emails.map((e, i) => (
                <Choice key={`${e.stepId}-${e.variantLabel}`} pressed={e === email} onClick={() => setEmailIndex(i)}>
                  {emailName(e, sample.emails)}
                  {e.result.ok ? null : <OctagonX aria-label="blocked" className="size-3.5 text-red-600" />}
                </Choice>
              ))}
            </Choices>
          </div>
          <EmailView email={email} leadName={sample.lead.name} part={part} onPart={setPart} />
        </div>
      ) : null}
    </section>
  );
}

function EmailView({
  email,
  leadName,
  part,
  onPart,
}: {
  email: ReviewSampleEmail;
  leadName: string;
  part: "html" | "text";
  onPart: (part: "html" | "text") => void;
}) {
  if (!email.result.ok) {
    return (
      <div role="status" className="space-y-1 p-3 text-sm">
        <p className="font-medium text-red-700">Blocked for {leadName}: this email would not be sent to them.</p>
        <ul className="list-disc pl-5 text-zinc-800">
          {email.result.problems.map((p, i) => (
            <li key={i}>
              {p.part === "identity"
                ? ""
                : `${p.part === "subject" ? "Subject" : "Body"}${p.line ? `, line ${p.line}, column ${p.column}` : ""}: `}
              {p.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const { email: rendered } = email.result;
  const html = part === "html" ? rendered.html : null;
  return (
    <article aria-label={`Email to ${leadName}`} className="text-sm">
      <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-0.5 border-b border-zinc-100 p-3">
        <dt className="text-zinc-600">From</dt>
        <dd className="break-all">{rendered.from}</dd>
        {rendered.replyTo ? (
          <>
            <dt className="text-zinc-600">Reply-To</dt>
            <dd className="break-all">{rendered.replyTo}</dd>
          </>
        ) : null}
        <dt className="text-zinc-600">Subject</dt>
        <dd className="font-medium" data-testid="sample-subject">
          {rendered.subject}
        </dd>
        {Object.entries(rendered.headers).map(([name, value]) => (
          <FragmentRow key={name} name={name} value={value} />
        ))}
      </dl>
      {rendered.html ? (
        <div className="flex gap-1 px-3 pt-2">
          <Choices label="Part">
            <Choice pressed={part === "html"} onClick={() => onPart("html")}>
              HTML
            </Choice>
            <Choice pressed={part === "text"} onClick={() => onPart("text")}>
              Text
            </Choice>
          </Choices>
        </div>
      ) : null}
      {html ? (
        <iframe
          title="Message body"
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          srcDoc={messageFrameDocument(html)}
          className="h-96 w-full"
        />
      ) : (
        <pre
          tabIndex={0}
          aria-label="Text part"
          className="max-h-96 overflow-auto p-3 font-mono text-[13px] whitespace-pre-wrap"
          data-testid="sample-text"
        >
          {rendered.text}
        </pre>
      )}
    </article>
  );
}

function FragmentRow({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt className="text-xs text-zinc-600">{name}</dt>
      <dd className="font-mono text-xs break-all text-zinc-700">{value}</dd>
    </>
  );
}

function emailName(email: ReviewSampleEmail, all: ReviewSampleEmail[]): string {
  const split = all.filter((e) => e.stepId === email.stepId).length > 1;
  return split ? `Step ${email.position} · ${email.variantLabel} (${email.weight}%)` : `Step ${email.position}`;
}

function Choices({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div role="group" aria-label={label} className="flex flex-wrap items-center gap-1">
      <span className="mr-1 text-xs text-zinc-600">{label}</span>
      {children}
    </div>
  );
}

function Choice({ pressed, onClick, children }: { pressed: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      className={cn(
        "inline-flex items-center gap-1 rounded-md border px-2 py-0.5 text-xs",
        pressed ? "border-accent-600 bg-accent-50 font-medium text-accent-700" : "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-50",
      )}
    >
      {children}
    </button>
  );
}
