import { fakeLeadInsightAnswer } from "./fake-lead-insight";
import type { FakeChatRequest } from "./fake-openai";

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/**
 * What the fake model answers a reply-classification request with, read from the request's
 * <reply_data> block by a few fixed rules (enough for the e2e run's replies, and none of them
 * an action a spec does not expect):
 * - "out until 12 January" (a day and a month): out of office, back on the next such date after
 *   the received date, as the prompt tells a real model to resolve it;
 * - "not right now" / "not now": not now;
 * - anything else: a question, with a suggested answer (a category that does nothing).
 */
export function fakeReplyReading(request: FakeChatRequest) {
  const block = request.messages.at(-1)?.content ?? "";
  const data = JSON.parse(block.replace(/^<reply_data>\n|\n<\/reply_data>$/g, "")) as { received_on?: string; body?: string };
  const body = data.body ?? "";
  const away = /out until (\d{1,2}) ([a-z]+)/i.exec(body);
  const month = away ? MONTHS.indexOf(away[2]!.toLowerCase()) : -1;
  if (away && month >= 0) {
    return {
      category: "out_of_office",
      confidence: 0.96,
      returnDate: nextDate(data.received_on ?? new Date().toISOString().slice(0, 10), month, Number(away[1])),
      referral: null,
      suggestedReply: null,
    };
  }
  if (/\bnot (right )?now\b/i.test(body)) {
    return {
      category: "not_now",
      confidence: 0.8,
      returnDate: null,
      referral: null,
      suggestedReply: "Understood: may I write again next quarter?",
    };
  }
  return { category: "question", confidence: 0.6, returnDate: null, referral: null, suggestedReply: "Happy to answer: what would help?" };
}

/** The first `day` of `month` (0-based) after `receivedOn` (YYYY-MM-DD), as YYYY-MM-DD. */
export function nextDate(receivedOn: string, month: number, day: number): string {
  const received = new Date(`${receivedOn}T00:00:00Z`);
  let year = received.getUTCFullYear();
  if (Date.UTC(year, month, day) <= received.getTime()) year++;
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

/** Every model request of the e2e run: lead insights (AI enrichment) and reply readings. */
export function fakeModelAnswer(request: FakeChatRequest): unknown {
  const name = request.response_format?.json_schema?.name;
  if (name === "reply_classification") return fakeReplyReading(request);
  if (name === "lead_insight") return fakeLeadInsightAnswer(request);
  return {};
}
