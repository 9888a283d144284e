import Link from "next/link";

type PagerLink = { href: string | null; label: string; rel?: "prev" | "next" };

/** First / previous / next links; an end of the list shows its link as plain, dimmed text. */
export function Pager({ label, links }: { label: string; links: PagerLink[] }) {
  return (
    <nav aria-label={label} className="flex items-center justify-end gap-2 text-sm">
      {links.map((link) =>
        link.href ? (
          <Link
            key={link.label}
            href={link.href}
            rel={link.rel}
            className="rounded-md border border-zinc-300 bg-white px-3 py-1 font-medium text-zinc-800 hover:bg-zinc-50"
          >
            {link.label}
          </Link>
        ) : (
          <span key={link.label} aria-disabled="true" className="rounded-md border border-zinc-200 px-3 py-1 text-zinc-500">
            {link.label}
          </span>
        ),
      )}
    </nav>
  );
}
