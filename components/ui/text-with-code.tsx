/**
 * A text's parts between backticks, as the API's descriptions mark code (`confirmBroad`,
 * `gmail.com`): odd indexes are code. An unpaired backtick stays text.
 */
export function codeSpans(text: string): string[] {
  return text.split(/`([^`\n]+)`/);
}

/** Text with its backticked parts shown as code: React text and <code> elements, never HTML. */
export function TextWithCode({ text }: { text: string }) {
  return (
    <>
      {codeSpans(text).map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-zinc-100 px-1 font-mono text-[0.95em] text-zinc-800">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
