"use client";
import { useState } from "react";
import { previewCampaignEmailAction } from "@/app/(app)/campaigns/preview-actions";
import type { CampaignEmailPreview } from "@/lib/campaigns/templates/preview-campaign-email";
import type { CampaignEmailChoice } from "@/lib/campaigns/templates/schemas";
import { latestOnly } from "./latest-only";

export type PreviewChoice = Omit<CampaignEmailChoice, "campaignId">;

type Ask = { campaignId: string; choice: PreviewChoice; search: string };

/**
 * A campaign's preview, loaded one request at a time (latestOnly): `load` asks for a choice,
 * `reload` asks again for the last one, to show content saved since. Typing in the lead search
 * or saving in the editor costs at most one request in flight and one waiting.
 */
export function usePreviewLoader(campaignId: string, initial: CampaignEmailPreview | null) {
  const [preview, setPreview] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loader] = useState(() =>
    latestOnly(
      (ask: Ask) =>
        previewCampaignEmailAction({ campaignId: ask.campaignId, ...ask.choice, search: ask.search || undefined }).catch(() => null),
      (result) => {
        if (result?.ok) {
          setPreview(result.data);
          setError(null);
        } else {
          setError(result?.error ?? "Could not reach the server. Check your connection and try again.");
        }
      },
      setLoading,
    ),
  );
  return {
    preview,
    error,
    loading,
    load: (choice: PreviewChoice, search: string) => loader.ask({ campaignId, choice, search }),
    reload: loader.again,
  };
}
