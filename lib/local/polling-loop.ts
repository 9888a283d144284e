export type PollingLoopHandle = { stop(): Promise<void> };

/**
 * Runs `pass` over and over beside the app (the launcher's delivery loops, never inside Next,
 * whose reloads would start them twice): again at once when it answers that it is busy (it left
 * work for the next pass), else after `intervalMs`. A pass that throws is reported and the loop
 * goes on. `stop` ends the wait at once and resolves when the pass under way has ended.
 */
export function startPollingLoop(
  pass: () => Promise<{ busy: boolean }>,
  { intervalMs, onError }: { intervalMs: number; onError: (error: unknown) => void },
): PollingLoopHandle {
  let stopped = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        ({ busy } = await pass());
      } catch (error) {
        if (!stopped) onError(error);
      }
      if (!busy && !stopped) await sleep(intervalMs);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}
