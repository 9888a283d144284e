import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mainPoolSize, serviceDb } from "@/db";
import { MAX_CONCURRENT_UPLOADS } from "@/lib/imports/upload/upload-slots";
import { callApi } from "@/tests/fixtures/api-client";
import { createTestApiKeys, type TestApiKeys } from "@/tests/fixtures/api-keys";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";

/**
 * The operations whose services take pooled connections of their own (the bulk upsert, the CSV
 * upload), called more times at once than the pool has connections: each must finish. When the
 * API held a transaction open around them, every call held one connection and waited for a
 * second, and past the pool's size the process waited for good, every other request with it.
 */

let fx: TenancyFixture;
let keys: TestApiKeys;

beforeAll(async () => {
  fx = await createTenancyFixture(serviceDb());
  keys = await createTestApiKeys(fx);
});
afterAll(() => removeTenancyFixture(fx, serviceDb()));

function csvForm(rows: string[]): FormData {
  const data = new FormData();
  data.set("file", new File([["Email,First Name", ...rows].join("\n")], "team.csv", { type: "text/csv" }));
  return data;
}

/** Rejects after `ms`: a deadlocked pool never answers, and the test should say so rather than hang. */
function deadline(ms: number): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`still waiting after ${ms / 1000} s: the calls are stuck waiting for connections`)), ms).unref(),
  );
}

describe("API writes that take connections of their own", () => {
  it("all finish when more of them run at once than the pool has connections", async () => {
    const s = fx.a.slug;
    const calls = mainPoolSize() + 2;
    const bulk = Array.from({ length: calls }, (_, i) =>
      callApi("POST", "/api/v1/leads/bulk", {
        key: keys.write.secret,
        body: { leads: [{ email: `bulk-${i}-${s}@example.com`, firstName: "Zoë" }] },
      }),
    );
    const uploads = Array.from({ length: calls }, (_, i) =>
      callApi("POST", "/api/v1/imports", { key: keys.write.secret, rawBody: csvForm([`upload-${i}-${s}@example.com,"Núñez, Ana"`]) }),
    );
    const statuses = await Promise.race([Promise.all([...bulk, ...uploads]).then((all) => all.map((r) => r.status)), deadline(45_000)]);
    expect(statuses.slice(0, calls)).toEqual(Array<number>(calls).fill(200));
    // Uploads past this server's places for them are turned away at once (429), not left waiting.
    const uploaded = statuses.slice(calls);
    expect(uploaded.filter((status) => status === 202).length).toBeGreaterThanOrEqual(MAX_CONCURRENT_UPLOADS);
    expect(uploaded.filter((status) => status !== 202 && status !== 429)).toEqual([]);
  }, 60_000);
});
