import { startFakeOpenAI } from "../lib/ai/testing/fake-openai";
import { fakeModelAnswer } from "../lib/ai/testing/fake-reply-reading";
import { fakeOpenAIPort } from "../tests/e2e-servers";

/**
 * One fake OpenAI-compatible model for the whole run, where the e2e app's OPENAI_BASE_URL points
 * (playwright.config.ts): every reply any spec makes is read (a spec's reply no longer fails
 * its classification job after retries because no model answered), and the AI specs inspect and
 * reset its request log over HTTP (e2e/fake-model.ts), since they run in another process.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const fake = await startFakeOpenAI({
    answer: fakeModelAnswer,
    port: fakeOpenAIPort(Number(process.env.E2E_PORT ?? 3100)),
    control: true,
  });
  return () => fake.close();
}
