/**
 * One request at a time for asks of which only the latest matters (a preview following choices
 * and saves). What is asked while a request is in flight waits, and only the latest such ask is
 * sent when it returns: the asks in between are never sent, and the answer that came back
 * meanwhile is dropped, being for an older ask or older content. `again` asks once more for what
 * was asked last (content saved since). `send` must not throw: it answers failures as results.
 */
export function latestOnly<Ask, Answer>(
  send: (ask: Ask) => Promise<Answer>,
  settle: (answer: Answer) => void,
  onBusy: (busy: boolean) => void = () => {},
) {
  let waiting: { ask: Ask } | null = null;
  let last: { ask: Ask } | null = null;
  let inFlight = false;

  async function pump() {
    if (inFlight) return;
    inFlight = true;
    onBusy(true);
    let answer: Answer | undefined;
    for (let next = waiting; next; next = waiting) {
      waiting = null;
      last = next;
      answer = await send(next.ask);
    }
    inFlight = false;
    onBusy(false);
    settle(answer as Answer);
  }

  return {
    ask(ask: Ask) {
      waiting = { ask };
      void pump();
    },
    again() {
      waiting ??= last;
      if (waiting) void pump();
    },
  };
}
