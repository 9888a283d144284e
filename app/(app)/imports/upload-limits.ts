/** Megabytes with one decimal, as the upload card shows sizes. */
export const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

/**
 * Why the browser does not send this file at all: the server would refuse it after the
 * whole upload, so the card says so at once.
 */
export function refusalBeforeSending(file: { size: number }, maxBytes: number): string | null {
  if (file.size === 0) return "The file is empty. Choose a CSV file with a header row and at least one lead.";
  if (file.size > maxBytes)
    return `The file is ${mb(file.size)} MB; the limit is ${Math.round(maxBytes / (1024 * 1024))} MB. Split it into smaller files.`;
  return null;
}
