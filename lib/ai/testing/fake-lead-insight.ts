import type { FakeChatRequest } from "./fake-openai";

/**
 * What the fake model answers a lead-insight request with: read from the request's lead data
 * block, as long as a real model's answer (a 25-word line, two full sentences, three reasons),
 * so that token counts and costs measured against the fake look like real ones.
 */
export function fakeLeadInsightAnswer(request: FakeChatRequest) {
  const block = request.messages.find((m) => m.content.startsWith("<lead_data>"))!.content;
  const data = JSON.parse(block.replace(/^<lead_data>\n|\n<\/lead_data>$/g, "")) as Record<string, string>;
  const sales = data.title?.includes("Sales") ?? false;
  return {
    icebreaker: `Saw that ${data.companyName ?? "your team"} is hiring account executives in Berlin, ${data.firstName}: how are you keeping ramp time short while the team grows this fast?`,
    companySummary: `${data.companyName ?? "The company"} builds payments and reconciliation software for the finance teams of mid-sized companies. Its customers are mostly in Germany and Austria, with a growing base in the Nordics.`,
    fitScore: sales ? 84 : 35,
    fitReasons: [
      sales ? "Title matches the target Head of Sales" : "Title is outside the target sales roles",
      "Country: Germany is a target country",
      "Industry: financial software, 50–500 employees",
    ],
  };
}
