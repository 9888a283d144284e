import { afterAll, beforeAll } from "vitest";
import { serviceDb } from "@/db";
import { createTenancyFixture, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { serveScriptedOutbox, type ScriptedOutbox } from "./scripted-outbox";

/**
 * What a test file of the send step needs around it: the scripted outbox, which the Resend SDK
 * sends to, and the two-workspace tenancy fixture, set up once for the file and removed after
 * it. Read `outbox` and `fx` inside tests and hooks (they exist once beforeAll has run).
 */
export function scriptedOutboxTestbed(): { readonly outbox: ScriptedOutbox; readonly fx: TenancyFixture } {
  let outbox: ScriptedOutbox | undefined;
  let fx: TenancyFixture | undefined;
  beforeAll(async () => {
    outbox = await serveScriptedOutbox();
    // Before anything reads env() (it is parsed once): the SDK sends to this outbox.
    process.env.RESEND_BASE_URL = outbox.baseUrl;
    fx = await createTenancyFixture(serviceDb());
  });
  afterAll(async () => {
    if (fx) await removeTenancyFixture(fx, serviceDb());
    await outbox?.close();
  });
  return {
    get outbox() {
      if (!outbox) throw new Error("The scripted outbox is set up in beforeAll: read it in a test or a hook");
      return outbox;
    },
    get fx() {
      if (!fx) throw new Error("The tenancy fixture is set up in beforeAll: read it in a test or a hook");
      return fx;
    },
  };
}
