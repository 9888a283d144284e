"use client";
import { Play, Rocket, Square, Undo2 } from "lucide-react";
import { useRouter } from "next/navigation";
import {
  launchCampaignAction,
  resumeCampaignAction,
  stopCampaignAction,
  withdrawCampaignApprovalAction,
} from "@/app/(app)/campaigns/lifecycle-actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/use-action";
import type { CampaignStatus } from "@/db/schema/campaign-enums";
import type { InstantlySignature } from "@/lib/integrations/instantly/push/delivery";
import { LaunchCampaignDialog } from "./launch-campaign-dialog";
import { PauseCampaignDialog } from "./pause-campaign-dialog";

/**
 * An admin's Launch / Pause / Resume / Stop for one campaign, each after asking (DESIGN.md §9);
 * an approved campaign never launched has Withdraw approval instead of Stop (back to draft, where
 * it can be changed or deleted; a stopped campaign can be neither), one launched before has Stop
 * (its enrollments end), as does one edited since its launch (back in draft or submitted again).
 * The server decides again (role, status, approved content): its refusal shows in a toast and the
 * page reloads, as the campaign has usually moved on (completed, paused by the bounce breaker);
 * the first launch's dialog also keeps it, as its choice can be changed and tried again.
 * The first launch asks how it is delivered (this app, or Instantly when connected); a campaign
 * sent through Instantly has its pause, resume and stop applied there too.
 */
export function CampaignLifecycleButtons({
  campaignId,
  name,
  status,
  launched,
  delivery = "resend",
  instantlyConnected = false,
  instantlySandbox = false,
  instantlySignature = null,
}: {
  campaignId: string;
  name: string;
  status: CampaignStatus;
  /** Launched before (edited since, perhaps approved again): it has enrollments, which only a stop ends. */
  launched: boolean;
  /** How it is (or, before its launch, would by default be) delivered. */
  delivery?: "resend" | "instantly";
  /** Instantly is connected (with an API key, or as the sandbox): the launch may go through it. */
  instantlyConnected?: boolean;
  /** …as the sandbox: the launch lands in sample data, nothing is sent. */
  instantlySandbox?: boolean;
  /** Whose signature the emails sent through Instantly would carry. */
  instantlySignature?: InstantlySignature | null;
}) {
  const throughInstantly = delivery === "instantly";
  const router = useRouter();
  const launch = useAction(launchCampaignAction);
  const resume = useAction(resumeCampaignAction);
  const stop = useAction(stopCampaignAction);
  const withdraw = useAction(withdrawCampaignApprovalAction);
  const pending = launch.pending || resume.pending || stop.pending || withdraw.pending;
  const refresh = () => router.refresh();

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="campaign-lifecycle">
      {status === "approved" && !launched ? (
        <LaunchCampaignDialog
          campaignId={campaignId}
          name={name}
          disabled={pending}
          instantlyConnected={instantlyConnected}
          instantlySandbox={instantlySandbox}
          instantlySignature={instantlySignature}
          onDone={refresh}
        />
      ) : null}
      {status === "approved" && launched ? (
        <ConfirmDialog
          trigger={
            <Button size="sm" busy={pending}>
              <Rocket aria-hidden className="size-3.5" />
              {launch.pending ? "Launching…" : "Launch"}
            </Button>
          }
          title={`Launch “${name}”?`}
          description="Its audience is enrolled now: leads unsubscribed, bounced, suppressed or in another campaign at this moment are left out. Each lead's first email goes out in its mailbox's sending hours, in the lead's time zone."
          confirmLabel="Launch campaign"
          onConfirm={() => launch.run({ campaignId }, { success: `“${name}” is launched.`, onSuccess: refresh, onError: refresh })}
        />
      ) : null}
      {status === "running" ? <PauseCampaignDialog campaignId={campaignId} name={name} disabled={pending} onPaused={refresh} /> : null}
      {status === "paused" ? (
        <ConfirmDialog
          trigger={
            <Button size="sm" busy={pending}>
              <Play aria-hidden className="size-3.5" />
              {resume.pending ? "Resuming…" : "Resume"}
            </Button>
          }
          title={`Resume “${name}”?`}
          description={
            throughInstantly
              ? "Instantly resumes sending it (or, if sending it to Instantly had not finished, that continues where it stopped). Nothing already sent is sent again."
              : "Each lead continues from its next step, in its mailbox's sending hours. Nothing already sent is sent again."
          }
          confirmLabel="Resume campaign"
          onConfirm={() => resume.run({ campaignId }, { success: `“${name}” is running again.`, onSuccess: refresh, onError: refresh })}
        />
      ) : null}
      {status === "approved" && !launched ? (
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="secondary" busy={pending}>
              <Undo2 aria-hidden className="size-3.5" />
              {withdraw.pending ? "Withdrawing…" : "Withdraw approval"}
            </Button>
          }
          title={`Withdraw the approval of “${name}”?`}
          description="Nothing has been sent. It goes back to draft and cannot be launched until it is submitted and approved again; its author can change it or delete it."
          confirmLabel="Withdraw approval"
          onConfirm={() => withdraw.run({ campaignId }, { success: `“${name}” is back in draft.`, onSuccess: refresh, onError: refresh })}
        />
      ) : null}
      {status === "running" ||
      status === "paused" ||
      (launched && (status === "approved" || status === "draft" || status === "pending_approval")) ? (
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="secondary" busy={pending}>
              <Square aria-hidden className="size-3.5" />
              {stop.pending ? "Stopping…" : "Stop"}
            </Button>
          }
          title={`Stop “${name}” for good?`}
          description={
            throughInstantly
              ? "No more emails go out: its Instantly campaign is paused for good. A stopped campaign cannot be resumed: to send again, duplicate it."
              : "No more emails go out and every lead's sequence ends. A stopped campaign cannot be resumed: to send again, duplicate it."
          }
          confirmLabel="Stop campaign"
          onConfirm={() => stop.run({ campaignId }, { success: `“${name}” is stopped.`, onSuccess: refresh, onError: refresh })}
        />
      ) : null}
    </div>
  );
}
