import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { serviceDb, withServiceTx, type Database } from "@/db";
import { companies, leads, replyClassifications } from "@/db/schema";
import { recordActivities } from "@/lib/leads/activities";
import { leadDisplayName } from "@/lib/leads/lead-fields";
import { reserveAiSpend } from "../budget";
import { aiModel, isAiConfigured, type AiModel } from "../model";
import { billedPrice, costUsd, UnpricedModel, type ModelPrice } from "../pricing";
import { getAiSettings } from "../settings";
import { AiAnswerInvalid, answeredCalls, askStructured, mostStructuredUsage, type AiCall } from "../structured";
import { countPromptTokens } from "../tokens";
import { recordAiCalls } from "../usage";
import { applyReplyAction, readingActivityPayload } from "./apply-reply-action";
import type { ReplyAction, ReplyCategory, ReplyReferral } from "./reply-categories";
import {
  MAX_REPLY_COMPLETION_TOKENS,
  REPLY_CLASSIFICATION_SCHEMA,
  referralEmail,
  replyClassificationMessages,
  ZReplyClassification,
  type ReplyClassificationAnswer,
} from "./reply-prompt";

export type ClassifyReplyOutcome =
  | { state: "classified"; category: ReplyCategory; action: ReplyAction["kind"] | null }
  | { state: "failed"; reason: string }
  | { state: "no_model" }
  | { state: "skipped"; reason: string };

export type ClassifyReplyOptions = {
  /** Tests bring their own model (the fake server); otherwise the configured one. */
  ai?: AiModel;
  runId?: string | null;
  /**
   * A reply not found may not be committed yet (Inngest gets the events of a transaction that
   * is not withServiceTx's at once): the job's first attempts throw to be retried, the last
   * one gives up (the lead, and its replies with it, were deleted).
   */
  retryIfNotFound?: boolean;
};

/** What the classification decided, cleaned: fields that do not belong to the category are dropped. */
export type ReplyReading = {
  category: ReplyCategory;
  confidence: number;
  returnDate: string | null;
  referral: ReplyReferral | null;
  suggestedReply: string | null;
};

/**
 * Classifies one stored reply (the job's step; the service connection, scoped by workspace):
 * asks the model, then in one transaction records the call in the usage ledger, the reading on
 * the reply, its one action (apply-reply-action.ts) and a timeline entry; a retried step that
 * finds the reply no longer pending does nothing. With no model configured the reply stays as
 * it was stored, marked `no_model` for the UI to say so. An answer outside the schema twice, or
 * a month's budget that cannot pay for the call (its most, reserved before asking and shared
 * with every feature: lib/ai/budget.ts), fails this reply with the reason; a model server that
 * is down throws (AiUnavailable) for the job to retry, the reservation given back (replaced by the
 * cost of any call it answered before failing).
 */
export async function classifyReply(
  { workspaceId, classificationId }: { workspaceId: string; classificationId: string },
  options: ClassifyReplyOptions = {},
): Promise<ClassifyReplyOutcome> {
  const db = serviceDb();
  const reply = await loadReply(db, workspaceId, classificationId);
  if (!reply) {
    if (options.retryIfNotFound) throw new Error("The reply is not stored yet (or its lead was deleted): trying again.");
    return { state: "skipped", reason: "reply not found (its lead was deleted)" };
  }
  if (reply.state !== "pending") return { state: "skipped", reason: `already ${reply.state}` };

  if (!options.ai && !isAiConfigured()) {
    await finish(db, workspaceId, classificationId, { state: "no_model" });
    return { state: "no_model" };
  }
  const settings = await getAiSettings(db, { workspaceId });
  const ai = options.ai ?? aiModel({ model: settings.model });
  const messages = replyClassificationMessages({
    receivedOn: reply.receivedAt.toISOString().slice(0, 10),
    subject: reply.subject,
    body: reply.body,
    leadName: reply.leadName,
    company: reply.company,
  });
  const most = mostStructuredUsage(
    countPromptTokens(messages, ai.model, REPLY_CLASSIFICATION_SCHEMA),
    MAX_REPLY_COMPLETION_TOKENS,
    ai.model,
  );
  let price: ModelPrice | null;
  try {
    price = billedPrice(ai.model, settings.prices, ai.provider);
  } catch (error) {
    if (!(error instanceof UnpricedModel)) throw error;
    const reason = `${error.message} The reply was stored but not read by the model.`;
    await finish(db, workspaceId, classificationId, { state: "failed", failure: reason });
    return { state: "failed", reason };
  }
  const budget = await reserveAiSpend(db, { workspaceId, feature: "reply_classification", maxCostUsd: costUsd(most, price) });
  if (!budget.ok) {
    const reason = `This month's AI budget of $${budget.budgetUsd.toFixed(2)} is spent: the reply was stored but not read by the model. An admin can raise the budget in Settings → AI.`;
    await finish(db, workspaceId, classificationId, { state: "failed", failure: reason });
    return { state: "failed", reason };
  }
  const ledger = {
    workspaceId,
    feature: "reply_classification" as const,
    prices: settings.prices,
    leadId: reply.leadId,
    runId: options.runId ?? null,
    reservation: budget.reservation,
  };

  let answer: ReplyClassificationAnswer;
  let calls: AiCall[];
  try {
    ({ value: answer, calls } = await askStructured(ai, {
      name: "reply_classification",
      schema: ZReplyClassification,
      messages,
      maxCompletionTokens: MAX_REPLY_COMPLETION_TOKENS,
    }));
  } catch (error) {
    if (!(error instanceof AiAnswerInvalid)) {
      // The model was not reached, or stopped answering: any call it answered before is billed and
      // recorded in place of the reservation. The job tries again, reserving again.
      await withServiceTx((tx) => recordAiCalls(tx, { ...ledger, calls: answeredCalls(error) }));
      throw error;
    }
    await withServiceTx(async (tx) => {
      await recordAiCalls(tx, { ...ledger, calls: error.calls });
      await finish(tx, workspaceId, classificationId, { state: "failed", failure: error.message });
    });
    return { state: "failed", reason: error.message };
  }

  const reading = readingOf(answer);
  const model = calls.at(-1)!.model;
  return withServiceTx(async (tx) => {
    // The calls were made and are billed whatever happens next.
    await recordAiCalls(tx, { ...ledger, calls });
    const [locked] = await tx
      .select({ state: replyClassifications.state })
      .from(replyClassifications)
      .where(and(eq(replyClassifications.id, classificationId), eq(replyClassifications.workspaceId, workspaceId)))
      .for("update");
    if (locked?.state !== "pending") return { state: "skipped", reason: `already ${locked?.state ?? "gone"}` } as const;
    const action = await applyReplyAction(tx, { ...reply, id: classificationId, workspaceId }, reading);
    await tx
      .update(replyClassifications)
      .set({ state: "classified", ...reading, model, classifiedAt: sql`now()` as unknown as Date, action })
      .where(and(eq(replyClassifications.id, classificationId), eq(replyClassifications.workspaceId, workspaceId)));
    await recordActivities(tx, [
      {
        workspaceId,
        leadId: reply.leadId,
        type: "reply_classified",
        actorId: null,
        payload: readingActivityPayload(classificationId, reading, action),
      },
    ]);
    return { state: "classified", category: reading.category, action: action?.kind ?? null } as const;
  });
}

/** The answer, kept only where it belongs to its category: a return date for an absence, a person for a referral. */
export function readingOf(answer: ReplyClassificationAnswer): ReplyReading {
  const referral =
    answer.category === "wrong_person" && answer.referral
      ? {
          name: answer.referral.name?.trim().slice(0, 200) || null,
          email: referralEmail(answer.referral.email),
          title: answer.referral.title?.trim().slice(0, 200) || null,
        }
      : null;
  return {
    category: answer.category,
    confidence: Math.min(1, Math.max(0, answer.confidence)),
    returnDate: answer.category === "out_of_office" ? answer.returnDate : null,
    referral: referral && (referral.name || referral.email) ? referral : null,
    suggestedReply: answer.suggestedReply?.trim().slice(0, 4000) || null,
  };
}

async function finish(
  db: Database,
  workspaceId: string,
  id: string,
  values: { state: "failed"; failure: string } | { state: "no_model" },
): Promise<void> {
  await db
    .update(replyClassifications)
    .set({ ...values, classifiedAt: sql`now()` as unknown as Date })
    .where(
      and(eq(replyClassifications.id, id), eq(replyClassifications.workspaceId, workspaceId), eq(replyClassifications.state, "pending")),
    );
}

export type LoadedReply = Awaited<ReturnType<typeof loadReply>> & {};

async function loadReply(db: Database, workspaceId: string, id: string) {
  const [row] = await db
    .select({
      state: replyClassifications.state,
      leadId: replyClassifications.leadId,
      campaignId: replyClassifications.campaignId,
      enrollmentId: replyClassifications.enrollmentId,
      subject: replyClassifications.subject,
      body: replyClassifications.body,
      receivedAt: replyClassifications.receivedAt,
      firstName: leads.firstName,
      lastName: leads.lastName,
      email: leads.email,
      company: sql<string | null>`coalesce(${companies.name}, ${leads.companyName})`,
    })
    .from(replyClassifications)
    .innerJoin(leads, and(eq(leads.id, replyClassifications.leadId), eq(leads.workspaceId, replyClassifications.workspaceId)))
    .leftJoin(companies, and(eq(companies.id, leads.companyId), eq(companies.workspaceId, leads.workspaceId)))
    .where(and(eq(replyClassifications.id, id), eq(replyClassifications.workspaceId, workspaceId)));
  if (!row) return null;
  const { firstName, lastName, email, ...rest } = row;
  return { ...rest, leadName: leadDisplayName({ firstName, lastName, email }) };
}
