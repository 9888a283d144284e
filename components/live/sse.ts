/** One server-sent event: `event` is "message" unless the server named it. */
export type SseEvent = { id: string | null; event: string; data: string };

/**
 * A parser for the text/event-stream format (WHATWG HTML §9.2), fed chunks as they arrive: it
 * returns the events each chunk completes and keeps the rest. Comments (heartbeats) and blocks
 * without data yield nothing; `id` is remembered as the last event id, as EventSource does.
 */
export function createSseParser(): (chunk: string) => SseEvent[] {
  let buffer = "";
  return (chunk) => {
    buffer += chunk.replace(/\r\n?/g, "\n");
    const events: SseEvent[] = [];
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let id: string | null = null;
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line === "" || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "id" && !value.includes("\0")) id = value;
        else if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (data.length > 0) events.push({ id, event, data: data.join("\n") });
    }
    return events;
  };
}

/**
 * The wait before reconnect attempt `attempt` (0 first): doubling from 1 s up to 30 s, with
 * jitter so that many browsers dropped at once (a deploy, a restart) do not return together.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling * (0.5 + random() / 2));
}
