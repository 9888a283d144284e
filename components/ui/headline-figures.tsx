import { cn } from "./cn";

export type HeadlineFigure = { label: string; value: string };

/**
 * A page's headline figures, one card each. A figure never wraps: "12.3 %" split over two lines
 * in a narrow card read as two values (QA, the Analytics page at tablet width).
 */
export function HeadlineFigures({ figures, className, testId }: { figures: HeadlineFigure[]; className: string; testId: string }) {
  return (
    <dl className={cn("grid grid-cols-2 gap-3", className)} data-testid={testId}>
      {figures.map((f) => (
        <div key={f.label} className="rounded-lg border border-zinc-200 bg-white px-4 py-3">
          <dt className="text-xs text-zinc-500">{f.label}</dt>
          <dd className="mt-1 whitespace-nowrap text-lg font-semibold tabular-nums text-zinc-900">{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
