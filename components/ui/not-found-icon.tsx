import type { SVGProps } from "react";

/**
 * A magnifier with a cross, drawn on the server. The not-found page uses it instead of a lucide
 * icon: lucide's icons are client components, and a client module in app/not-found.tsx becomes
 * a chunk of its own that Next.js lists beside every page and some pages load (4 kB gzip).
 */
export function NotFoundIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      {...props}
    >
      <circle cx="11" cy="11" r="7" />
      <path d="m20.5 20.5-4.5-4.5M8.5 8.5l5 5m0-5-5 5" />
    </svg>
  );
}
