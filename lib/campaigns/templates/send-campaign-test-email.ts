import "server-only";
import type { Executor } from "@/db";
import { sendEmail } from "@/lib/email/send-email";
import { AppError } from "@/lib/errors";
import { CAMPAIGN_TEST_EMAILS_PER_USER } from "@/lib/rate-limit/policies";
import { RateLimitedError, tryAgainMessage } from "@/lib/rate-limit/rate-limited";
import { consumeRequest } from "@/lib/rate-limit/request-limit";
import { previewCampaignEmail, type PreviewActor } from "./preview-campaign-email";
import type { TemplateProblem } from "./render-campaign-email";
import type { CampaignEmailChoice } from "./schemas";

export type TestEmailSent = { to: string; subject: string; leadName: string };

/**
 * "Send a test to me": one email of the campaign, rendered for a lead of its audience as it
 * would be sent (from the sending identity, with its headers), to the signed-in member's own
 * address only, the subject marked [Test]. A lead the email is blocked for is refused with the
 * reason.
 */
export async function sendCampaignTestEmail(
  tx: Executor,
  actor: PreviewActor & { email: string },
  input: CampaignEmailChoice,
): Promise<TestEmailSent> {
  const preview = await previewCampaignEmail(tx, actor, input);
  if (preview.missing || !preview.result) throw new AppError("invalid_input", preview.missing ?? "Nothing to send yet.");
  const lead = preview.leads.find((l) => l.id === preview.selection.leadId);
  if (!preview.result.ok) {
    throw new AppError(
      "invalid_input",
      `This email is blocked for ${lead?.name ?? "this lead"}: ${describeProblem(preview.result.problems[0])}`,
    );
  }
  const email = preview.result.email;
  // Counted once the email would really go: a refused preview costs nothing.
  try {
    await consumeRequest(CAMPAIGN_TEST_EMAILS_PER_USER, actor.userId);
  } catch (error) {
    if (error instanceof RateLimitedError)
      throw new AppError("rate_limited", tryAgainMessage(error.retryAfterSeconds, "Too many test emails"));
    throw error;
  }
  const subject = `[Test] ${email.subject}`;
  await sendEmail({
    kind: "product",
    to: actor.email,
    from: email.from,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject,
    ...(email.html !== null ? { html: email.html } : {}),
    text: email.text,
    headers: email.headers,
    tags: [{ name: "workspace_id", value: actor.current.workspaceId }],
  });
  return { to: actor.email, subject, leadName: lead?.name ?? "" };
}

export function describeProblem(problem: TemplateProblem | undefined): string {
  if (!problem) return "it cannot be rendered.";
  const where = problem.line ? ` (${problem.part}, line ${problem.line}, column ${problem.column})` : "";
  return `${problem.message}${where}`;
}
