/**
 * What the server's terminal says about the emails the outbox keeps: the first of a quiet spell in
 * one line, then the ones that follow within the minute as a count, so a running campaign does not
 * flood the terminal of someone trying the app. The emails themselves are read on `where`.
 */
export function createOutboxConsoleSummary({
  where,
  log = console.info,
  windowMs = 60_000,
}: {
  where: string;
  log?: (line: string) => void;
  windowMs?: number;
}): (to: readonly string[], subject: string) => void {
  let more = 0;
  let window: ReturnType<typeof setTimeout> | null = null;
  return (to, subject) => {
    if (window) {
      more++;
      return;
    }
    log(`[outbox] to ${to.join(", ")}: ${subject} (read it in ${where})`);
    window = setTimeout(() => {
      if (more > 0) log(`[outbox] ${more} more email${more === 1 ? "" : "s"} in the last minute (read them in ${where})`);
      more = 0;
      window = null;
    }, windowMs);
    window.unref?.();
  };
}
