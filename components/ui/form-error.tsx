import { cn } from "./cn";

/**
 * A form's error that belongs to no single field. When fields carry their own errors, those
 * say it better, so this stays quiet.
 */
export function FormError({
  error,
  fieldErrors,
  className,
}: {
  error: string | null | undefined;
  fieldErrors: Record<string, unknown>;
  className?: string;
}) {
  if (!error || Object.keys(fieldErrors).length) return null;
  return (
    <p role="alert" className={cn("text-sm text-red-600", className)}>
      {error}
    </p>
  );
}
