"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { saveCampaignDraft } from "@/app/(app)/campaigns/actions";
import type { ActionResult } from "@/lib/actions/execute-action";
import type { SavedDraft } from "@/lib/campaigns/save-campaign-draft";
import { ZCampaignDraft, type CampaignDraft } from "@/lib/campaigns/types";

export type SaveState =
  | { kind: "saved" }
  | { kind: "dirty" }
  | { kind: "saving" }
  /** Not sent: the draft breaks a rule the server would refuse (an empty name…). */
  | { kind: "invalid"; message: string }
  /** Refused by the server; the next change tries again. */
  | { kind: "failed"; message: string }
  /** Someone saved after this editor loaded: autosave stops until a reload. */
  | { kind: "stale"; message: string };

/** Typing pauses this long before a save goes out. */
export const AUTOSAVE_DELAY_MS = 800;

const contentKey = ({ expectedUpdatedAt: _, ...content }: CampaignDraft) => JSON.stringify(content);

/**
 * Holds the draft and saves it whole a moment after each change, one save at a time, always
 * with the version the last save returned (optimistic concurrency: a stale save is refused,
 * never merged). `onSaved` hears of each save (the page refreshes when the status moved).
 */
export function useAutosave(initial: CampaignDraft, onSaved: (saved: SavedDraft) => void) {
  const [draft, setDraft] = useState(initial);
  const [state, setState] = useState<SaveState>({ kind: "saved" });
  /** The version of the content saved last: what the server now renders (the preview follows it). */
  const [savedVersion, setSavedVersion] = useState(initial.expectedUpdatedAt);
  const version = useRef(initial.expectedUpdatedAt);
  const lastSaved = useRef(contentKey(initial));
  const latest = useRef(draft);
  const inFlight = useRef(false);
  const stale = useRef(false);
  const onSavedRef = useRef(onSaved);
  useEffect(() => {
    latest.current = draft;
    onSavedRef.current = onSaved;
  });

  const flush = useCallback(async () => {
    if (inFlight.current || stale.current) return;
    const sent = latest.current;
    const key = contentKey(sent);
    if (key === lastSaved.current) return setState({ kind: "saved" });
    const parsed = ZCampaignDraft.safeParse({ ...sent, expectedUpdatedAt: version.current });
    if (!parsed.success) return setState({ kind: "invalid", message: parsed.error.issues[0]?.message ?? "Some fields need attention." });
    inFlight.current = true;
    setState({ kind: "saving" });
    let result: ActionResult<SavedDraft>;
    try {
      result = await saveCampaignDraft(parsed.data);
    } catch {
      result = {
        ok: false,
        code: "network",
        error: "Could not reach the server: your last changes are not saved yet. They will be sent with your next change.",
      };
    }
    inFlight.current = false;
    if (!result.ok) {
      if (result.code === "conflict" && result.error.includes("changed elsewhere")) {
        stale.current = true;
        return setState({ kind: "stale", message: result.error });
      }
      return setState({ kind: "failed", message: result.error });
    }
    const saved = result.data;
    version.current = saved.version;
    setSavedVersion(saved.version);
    lastSaved.current = contentKey({ ...sent, audience: saved.audience });
    // The server may store the audience in another form (a view copied as its query): adopt it,
    // unless the rep changed the audience again meanwhile.
    if (JSON.stringify(saved.audience) !== JSON.stringify(sent.audience)) {
      setDraft((current) => (current.audience === sent.audience ? { ...current, audience: saved.audience } : current));
    }
    onSavedRef.current(saved);
    if (contentKey(latest.current) !== key) void flush();
    else setState({ kind: "saved" });
  }, []);

  useEffect(() => {
    if (stale.current || contentKey(draft) === lastSaved.current) return;
    setState({ kind: "dirty" });
    const timer = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, flush]);

  // Leaving with changes not yet saved asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (contentKey(latest.current) !== lastSaved.current && !stale.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  return { draft, setDraft, state, savedVersion, flush };
}
