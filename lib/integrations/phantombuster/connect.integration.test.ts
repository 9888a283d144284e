import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { connectIntegrationAccount, listIntegrationAccounts, type IntegrationActor } from "@/lib/integrations/accounts/accounts";
import { recheckIntegrationAccount } from "@/lib/integrations/accounts/integration-key";
import { asUser, createTenancyFixture, removeTenancyFixture, type TenancyFixture, type TenancyMember } from "@/tests/fixtures/tenancy";
import { startFakePhantomBuster } from "./testing/fake-phantombuster";

const KEY = "pb-Key-aaaa1111";
// Started before anything reads the environment: env() is parsed once per process.
const fake = await startFakePhantomBuster({ keys: [KEY] });
process.env.PHANTOMBUSTER_API_URL = fake.url;
process.env.PHANTOMBUSTER_S3_URL = fake.s3Url;

let fx: TenancyFixture;
const actor = (member: TenancyMember, workspaceId: string): IntegrationActor => ({ workspaceId, userId: member.id, role: member.role });

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  expect(env().PHANTOMBUSTER_API_URL).toBe(fake.url);
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
  await fake.close();
});

describe("connecting PhantomBuster", () => {
  const admin = () => fx.a.members.admin;
  const connect = (apiKey: string) =>
    asUser(admin(), (tx) => connectIntegrationAccount(tx, actor(admin(), fx.a.id), { vendor: "phantombuster", apiKey }));

  it("refuses a wrong key with PhantomBuster's reason, after asking PhantomBuster, and saves nothing", async () => {
    const error = await refusal(connect("wrong-pb-key"));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe(
      "PhantomBuster refused the API key (“Invalid API key”). Copy the key from PhantomBuster (Workspace settings → API keys) and save it here. Nothing was saved.",
    );
    expect(error.fieldErrors?.apiKey?.[0]).toMatch(/^PhantomBuster refused the API key/);
    expect(fake.requests.at(-1)).toMatchObject({ path: "/agents/fetch-all", apiKey: "wrong-pb-key" });
    expect(await asUser(admin(), (tx) => listIntegrationAccounts(tx, { workspaceId: fx.a.id }))).toEqual([]);
  });

  it("says PhantomBuster is down rather than that the key is wrong", async () => {
    fake.fail({ status: 503 }, { status: 503 });
    const error = await refusal(connect(KEY));
    expect(error.code).toBe("unavailable");
    expect(error.message).toMatch(
      /^PhantomBuster is not answering properly \(HTTP 503 on 2 attempts\)\. .*Nothing was saved; try again later\.$/,
    );
  });

  it("connects a working key and rechecks it, showing a revoked key as failing", async () => {
    const view = await connect(KEY);
    expect(view).toMatchObject({ vendor: "phantombuster", keyLast4: "1111", status: "connected", sandbox: false });
    fake.fail({ status: 401, body: '{"status":"error","message":"Invalid API key"}' });
    const failing = await asUser(admin(), (tx) => recheckIntegrationAccount(tx, actor(admin(), fx.a.id), { accountId: view.id }));
    expect(failing).toMatchObject({ status: "failing", lastError: expect.stringMatching(/^PhantomBuster refused the API key/) });
    const again = await asUser(admin(), (tx) => recheckIntegrationAccount(tx, actor(admin(), fx.a.id), { accountId: view.id }));
    expect(again).toMatchObject({ status: "connected", lastError: null });
  });
});
