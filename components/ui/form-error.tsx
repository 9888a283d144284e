/**
 * A form's error that belongs to no single field. When fields carry their own errors, those
 * say it better, so this stays quiet.
 */
export function FormError({ error, fieldErrors }: { error: string | null | undefined; fieldErrors: Record<string, unknown> }) {
  if (!error || Object.keys(fieldErrors).length) return null;
  return (
    <p role="alert" className="text-sm text-red-600">
      {error}
    </p>
  );
}
