"use client";
import { createContext, startTransition, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { PagePin } from "@/lib/actions/execute-action";
import type { LiveMessage } from "@/lib/live/events";
import { createSseParser, reconnectDelay } from "./sse";

/** connecting → live; reconnecting after a drop (with back-off); off once the server refuses (signed out, removed). */
export type LiveStatus = "connecting" | "live" | "reconnecting" | "off";

type Listener = (message: LiveMessage) => void;
type LiveContextValue = { subscribe: (listener: Listener) => () => void; status: LiveStatus; workspaceId: string | null };

const LiveContext = createContext<LiveContextValue>({ subscribe: () => () => {}, status: "off", workspaceId: null });

/**
 * Holds the page's one connection to /api/events (server-sent events fed by PostgreSQL
 * LISTEN/NOTIFY) for the workspace shown, and hands each change to the components that
 * subscribe (useLiveEvents). A dropped connection comes back after 1, 2, 4… up to 30 s
 * (jittered), sending the last event id so the server replays what was missed or says
 * `resync` (refresh everything). The first connection sends `since`, the position the server
 * rendered the page at, so a change made between the render and the connection still reaches
 * the page. Read with fetch rather than EventSource, which hides the status: a 401 or 403 stops
 * here instead of retrying for ever.
 *
 * The status changes as a transition, and the context's value changes only with it: React
 * treats any change of a context above a Suspense boundary that has not hydrated yet (the lead
 * page's edit form while its code loads, lead-controls.tsx) as an update to that boundary, and a
 * non-transition update there throws its server HTML away and renders it again on the client —
 * with whatever the user had typed into it. Measured on the lead page with the CPU throttled 4×
 * in dev: the connection's "live" arrived while the form was still server HTML, and text typed
 * into it vanished 50 ms later (React's clearHydrationBoundary). A transition waits for the
 * boundary to hydrate instead.
 */
export function LiveUpdatesProvider({ workspaceId, since, children }: { workspaceId: string; since: string | null; children: ReactNode }) {
  // Only the first render's: the layout renders again on every refresh, long after the connection.
  const [renderedAt] = useState(since);
  const listeners = useRef(new Set<Listener>());
  const [status, setStatusNow] = useState<LiveStatus>("connecting");
  const [value] = useState(() => ({
    subscribe: (listener: Listener) => {
      listeners.current.add(listener);
      return () => void listeners.current.delete(listener);
    },
  }));

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let lastEventId: string | null = renderedAt;
    let abort: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const setStatus = (next: LiveStatus) => startTransition(() => setStatusNow(next));
    const dispatch = (message: LiveMessage) => {
      for (const listener of [...listeners.current]) listener(message);
    };

    const connect = async () => {
      abort = new AbortController();
      let again = false;
      let holdOffMs = 0;
      try {
        const response = await fetch(`/api/events?workspace=${encodeURIComponent(workspaceId)}`, {
          headers: lastEventId ? { "last-event-id": lastEventId } : {},
          cache: "no-store",
          signal: abort.signal,
        });
        if (response.status === 401 || response.status === 403) {
          setStatus("off");
          return;
        }
        if (response.status === 429) {
          // Reconnecting too often: wait at least as long as the server says.
          const seconds = Number(response.headers.get("retry-after"));
          holdOffMs = Number.isFinite(seconds) ? seconds * 1000 : 0;
        }
        if (!response.ok || !response.body) throw new Error(`live updates answered ${response.status}`);
        const parse = createSseParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value: chunk, done } = await reader.read();
          if (done) break;
          for (const event of parse(chunk)) {
            if (event.id) lastEventId = event.id;
            if (event.event === "ready") {
              attempt = 0;
              setStatus("live");
            } else if (event.event === "reconnect") {
              again = true;
            } else if (event.event === "message") {
              try {
                dispatch(JSON.parse(event.data) as LiveMessage);
              } catch {
                // Not ours: ignore.
              }
            }
          }
        }
      } catch {
        // Dropped, refused or unreachable: back off below.
      }
      if (stopped) return;
      setStatus("reconnecting");
      // The server asked to come back (its token expired, its role changed): at once.
      timer = setTimeout(() => void connect(), again ? 0 : Math.max(holdOffMs, reconnectDelay(attempt++)));
    };
    // A task later, not at once: in development React runs each effect, its clean-up and the
    // effect again on mount (Strict Mode), and a connection opened at once was opened twice per
    // page, the first dropped within milliseconds, both counting against the per-person limit
    // on streams (RATE_LIMIT_EVENT_STREAMS_PER_MINUTE).
    timer = setTimeout(() => void connect(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
      abort?.abort();
    };
  }, [workspaceId, renderedAt]);

  const context = useMemo(() => ({ subscribe: value.subscribe, status, workspaceId }), [value, status, workspaceId]);
  return <LiveContext.Provider value={context}>{children}</LiveContext.Provider>;
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext).status;
}

/**
 * The workspace this page was drawn for (undefined outside the app's pages). Actions send it
 * along (useAction, and the calls made without it), so that one started in a tab still showing
 * a workspace the person has since left for another, in another tab, is refused rather than
 * carried out in the other (the current workspace is a cookie, shared by every tab).
 */
export function usePagePin(): PagePin | undefined {
  const { workspaceId } = useContext(LiveContext);
  return useMemo(() => (workspaceId ? { workspaceId } : undefined), [workspaceId]);
}

/**
 * Calls `onChange` for each change of one of `kinds` (and each `resync`) while mounted. The
 * latest `onChange` is used without subscribing again.
 */
export function useLiveEvents(kinds: readonly LiveMessage["k"][], onChange: (message: LiveMessage) => void): void {
  const { subscribe } = useContext(LiveContext);
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  });
  const key = kinds.join(",");
  useEffect(() => {
    const wanted = new Set(key.split(","));
    return subscribe((message) => {
      if (message.k === "resync" || wanted.has(message.k)) latest.current(message);
    });
  }, [key, subscribe]);
}
