/**
 * Another app process, for the test that two processes share the counters: counts `times`
 * requests against the limit given as JSON, each with its own connection pool to DATABASE_URL,
 * and prints one JSON array of the outcomes (`0` allowed, else the Retry-After in seconds).
 * Run with `tsx --conditions=react-server` and the app's environment.
 */
import { closeAllPools } from "@/db/client";
import { RateLimitedError } from "../rate-limited";
import { consumeRequest, type RequestLimit } from "../request-limit";

const [limitJson, subject, times] = process.argv.slice(2);
const limit = JSON.parse(limitJson!) as RequestLimit;
const outcomes: number[] = [];
for (let i = 0; i < Number(times); i++) {
  try {
    await consumeRequest(limit, subject!);
    outcomes.push(0);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    outcomes.push(error.retryAfterSeconds);
  }
}
await closeAllPools();
process.stdout.write(JSON.stringify(outcomes) + "\n");
