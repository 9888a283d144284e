import type { FakeChatRequest } from "../lib/ai/testing/fake-openai";
import { fakeOpenAIPort } from "../tests/e2e-servers";

/** The run's shared fake model (e2e/global-setup.ts), seen from a spec: its request log and a reset. */
const base = `http://127.0.0.1:${fakeOpenAIPort(Number(process.env.E2E_PORT ?? 3100))}/__fake`;

export async function fakeModelRequests(): Promise<FakeChatRequest[]> {
  const response = await fetch(`${base}/requests`);
  if (!response.ok) throw new Error(`The fake model's log answered ${response.status}`);
  return ((await response.json()) as { body: FakeChatRequest }[]).map((r) => r.body);
}

/** Forgets what was asked so far (a spec counts only its own calls). */
export async function resetFakeModel(): Promise<void> {
  const response = await fetch(`${base}/reset`, { method: "POST" });
  if (!response.ok) throw new Error(`The fake model's reset answered ${response.status}`);
}

export const isSchema = (request: FakeChatRequest, name: string) => request.response_format?.json_schema?.name === name;
