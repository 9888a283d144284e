/** Said on every screen that shows what the Instantly sandbox served. */
export function InstantlySampleDataNotice() {
  return (
    <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
      Sample data: these campaigns, numbers and people were invented by this app&apos;s Instantly sandbox, not read from Instantly.
    </p>
  );
}
