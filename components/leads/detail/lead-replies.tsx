import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Disclosure } from "@/components/ui/disclosure";
import { LocalTime } from "@/components/ui/local-time";
import { REPLY_CATEGORY_TONES } from "@/components/replies/reply-category-badge";
import {
  formatReturnDate,
  outOfOfficeNothingDone,
  REPLY_ACTION_LABELS,
  REPLY_CATEGORY_LABELS,
  UNDATED_ABSENCE_DAYS,
} from "@/lib/ai/replies/reply-categories";
import type { ReplyReadingView } from "@/lib/ai/replies/list-lead-replies";
import { AddReferredLeadButton, CopyDraftButton, ReadReplyForm, UndoReplyButton } from "./lead-controls";

const NO_MODEL =
  "Not read: no AI model is configured on this server. An operator sets OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (an OpenAI-compatible server such as Ollama) and OPENAI_MODEL; replies that arrive after that are read.";

/**
 * The lead's replies and how the model (or a person) read them: the category and its confidence,
 * the return date or the person referred, what was done (with Undo) and a suggested answer to
 * copy. A lead editor may read a reply themselves when no model read it, or read it differently
 * once what the reading did is undone (or it did nothing). The reply and everything the model
 * wrote are rendered as React text, never as HTML.
 */
export function LeadReplies({
  replies,
  canEdit,
}: {
  replies: { items: ReplyReadingView[]; aiConfigured: boolean; canAddLead: boolean; canLiftUnsubscribe: boolean };
  canEdit: boolean;
}) {
  if (replies.items.length === 0) return null;
  return (
    <section aria-labelledby="lead-replies-heading" className="rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="lead-replies-heading" className="mb-2 text-sm font-semibold">
        Replies
      </h2>
      <ol className="space-y-3" data-testid="lead-replies">
        {replies.items.map((reply) => (
          <li key={reply.id} className="rounded-md border border-zinc-200 p-3 text-sm" data-reply-category={reply.category ?? reply.state}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-xs text-zinc-600">
              <span>
                {reply.subject ? <span className="font-medium text-zinc-800">{reply.subject}</span> : "Reply"}
                {reply.source === "instantly" ? " · via Instantly" : ""}
              </span>
              <LocalTime value={reply.receivedAt} withTime />
            </div>
            <ReplyBody body={reply.body} />
            <Reading
              reply={reply}
              aiConfigured={replies.aiConfigured}
              canEdit={canEdit}
              canAddLead={replies.canAddLead}
              canLiftUnsubscribe={replies.canLiftUnsubscribe}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

function ReplyBody({ body }: { body: string }) {
  if (!body) return <p className="mt-1 text-zinc-500">(no text)</p>;
  if (body.length <= 400) return <p className="mt-1 break-words whitespace-pre-wrap text-zinc-800">{body}</p>;
  return (
    <Disclosure className="mt-1">
      <summary className="cursor-pointer break-words whitespace-pre-wrap text-zinc-800">{body.slice(0, 400)}…</summary>
      <p className="break-words whitespace-pre-wrap text-zinc-800">{body.slice(400)}</p>
    </Disclosure>
  );
}

function Reading({
  reply,
  aiConfigured,
  canEdit,
  canAddLead,
  canLiftUnsubscribe,
}: {
  reply: ReplyReadingView;
  aiConfigured: boolean;
  canEdit: boolean;
  canAddLead: boolean;
  canLiftUnsubscribe: boolean;
}) {
  const readIt = canEdit ? <ReadReplyForm classificationId={reply.id} current={null} /> : null;
  if (reply.state === "no_model" || (reply.state === "pending" && !aiConfigured)) {
    return (
      <div className="mt-2 space-y-2">
        <p className="text-xs text-zinc-600" data-testid="reply-no-model">
          {NO_MODEL}
          {canEdit ? " Meanwhile, read it yourself:" : ""}
        </p>
        {readIt}
      </div>
    );
  }
  if (reply.state === "pending") {
    return (
      <div className="mt-2 space-y-2">
        <p className="text-xs text-zinc-600">Waiting to be read by the AI model…</p>
        {canEdit ? (
          <Disclosure>
            <summary className="cursor-pointer text-xs font-medium text-zinc-700">Read it yourself</summary>
            <div className="mt-2">{readIt}</div>
          </Disclosure>
        ) : null}
      </div>
    );
  }
  if (reply.state === "failed" || !reply.category) {
    return (
      <div className="mt-2 space-y-2">
        <p className="text-xs text-red-700">Not read: {reply.failure ?? "the model could not read it."}</p>
        {readIt}
      </div>
    );
  }
  const action = reply.action;
  const referral = reply.referral;
  const referralName = referral?.name ?? referral?.email ?? "them";
  return (
    <div className="mt-2 space-y-2 border-t border-zinc-100 pt-2" data-testid="reply-reading">
      <p className="flex flex-wrap items-center gap-2">
        <Badge tone={REPLY_CATEGORY_TONES[reply.category]}>{REPLY_CATEGORY_LABELS[reply.category]}</Badge>
        {reply.confidence !== null ? <span className="text-xs text-zinc-600">{Math.round(reply.confidence * 100)} % confident</span> : null}
        {reply.returnDate ? (
          <span className="text-xs text-zinc-800" data-testid="reply-return-date">
            Back on {formatReturnDate(reply.returnDate)}
          </span>
        ) : null}
        {reply.readBy ? (
          <span className="text-xs text-zinc-600" data-testid="reply-read-by">
            Read by {reply.readBy.name}
          </span>
        ) : reply.model ? (
          <span className="text-xs text-zinc-500">Read by {reply.model}</span>
        ) : reply.category === "auto_reply" && reply.source === "instantly" ? (
          <span className="text-xs text-zinc-500">Flagged as automatic by Instantly (not sent to the model)</span>
        ) : null}
      </p>
      {referral ? (
        <p className="text-xs text-zinc-800" data-testid="reply-referral">
          Refers to <span className="font-medium">{referral.name ?? "someone"}</span>
          {referral.title ? `, ${referral.title}` : ""}
          {referral.email ? ` (${referral.email})` : ""}
        </p>
      ) : null}
      {action ? (
        <div className="flex flex-wrap items-center gap-2 text-xs">
          <span className={reply.undoneAt ? "text-zinc-500 line-through" : "text-zinc-800"}>{REPLY_ACTION_LABELS[action.kind]}</span>
          {action.kind === "enrollment_delayed" || action.kind === "enrollment_resumed_later" ? (
            <span className="text-zinc-600">
              (next email due <LocalTime value={action.resumeAt} />
              {reply.returnDate ? "" : `: no return date given, so ${UNDATED_ABSENCE_DAYS} days away are assumed`})
            </span>
          ) : null}
          {action.kind === "enrollment_resumed_later" && action.campaignReopened ? (
            <span className="text-zinc-600">· its campaign, which this reply had completed, runs again</span>
          ) : null}
          {reply.undoneAt ? (
            <span className="text-zinc-600">
              Undone <LocalTime value={reply.undoneAt} withTime />
            </span>
          ) : canEdit && action.kind === "unsubscribed" && !canLiftUnsubscribe ? (
            <span className="text-zinc-600">· only an admin can undo this (it lifts the address's suppression)</span>
          ) : canEdit && !reply.referredLead ? (
            <UndoReplyButton classificationId={reply.id} what={REPLY_ACTION_LABELS[action.kind]} />
          ) : null}
        </div>
      ) : reply.category === "out_of_office" ? (
        <p className="text-xs text-zinc-600" data-testid="reply-nothing-done">
          {outOfOfficeNothingDone(reply)}
        </p>
      ) : null}
      {action?.kind === "referral_offered" && !reply.undoneAt ? (
        reply.referredLead ? (
          <p className="text-xs">
            Added as a lead:{" "}
            <Link href={`/leads/${reply.referredLead.id}`} className="text-accent-700 hover:underline">
              {reply.referredLead.name}
            </Link>
          </p>
        ) : action.existingLeadId ? (
          <p className="text-xs">
            Already a lead:{" "}
            <Link href={`/leads/${action.existingLeadId}`} className="text-accent-700 hover:underline">
              open {referralName}
            </Link>
            {canEdit && canAddLead ? (
              <span className="ml-2 inline-block">
                <AddReferredLeadButton classificationId={reply.id} name={referralName} />
              </span>
            ) : null}
          </p>
        ) : canEdit && canAddLead ? (
          <AddReferredLeadButton classificationId={reply.id} name={referralName} />
        ) : null
      ) : null}
      {canEdit && (!action || reply.undoneAt) && !reply.referredLead ? (
        <Disclosure>
          <summary className="cursor-pointer text-xs font-medium text-zinc-700">Read it differently</summary>
          <div className="mt-2">
            <ReadReplyForm classificationId={reply.id} current={reply.category} />
          </div>
        </Disclosure>
      ) : null}
      {reply.suggestedReply ? (
        <Disclosure className="rounded-md bg-zinc-50 p-2" data-testid="reply-draft">
          <summary className="cursor-pointer text-xs font-medium text-zinc-700">Suggested reply (not sent)</summary>
          <p className="mt-1 break-words whitespace-pre-wrap text-zinc-800">{reply.suggestedReply}</p>
          <div className="mt-1 flex items-center gap-2">
            <CopyDraftButton text={reply.suggestedReply} />
            <span className="text-xs text-zinc-500">Nothing is sent from here: paste it into your own reply.</span>
          </div>
        </Disclosure>
      ) : null}
    </div>
  );
}
