import { describe, expect, it } from "vitest";
import { countEmailsTo, createConfirmedUser, latestEmailTo, rawAuthRequest, uniqueEmail } from "./testing";
import { authServerWithScriptedProvider } from "./scripted-provider-testbed";

/*
 * DESIGN.md §11: the public email endpoints answer alike whether or not an account exists, and
 * that includes *when* they answer. Here the email provider holds every send until the test lets
 * it go: an endpoint that waited for the provider for an address with an account (and not for an
 * unknown one) would not answer at all, and its timing would tell a stranger which it was.
 */

// Sign-up on (for /signup and /resend), read by env()'s first call when the auth server starts.
process.env.AUTH_ENABLE_SIGNUP = "true";

/** Far longer than any answer takes, far shorter than the provider is held (until the test lets go). */
const ANSWER_DEADLINE_MS = 5_000;

const testbed = authServerWithScriptedProvider();

let nextIp = 1;
const freshIp = () => `198.18.0.${nextIp++}`;

/** The provider holds every send to these addresses until `release()`. */
function holdSendsTo(...addresses: string[]) {
  let release!: () => void;
  const until = new Promise<void>((resolve) => (release = resolve));
  for (const address of addresses) testbed.provider.script(address, { until });
  return release;
}

async function answerWithinDeadline(path: string, body: Record<string, unknown>) {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`POST ${path} did not answer while the email provider held the send`)), ANSWER_DEADLINE_MS);
  });
  try {
    const { status, body: text } = await Promise.race([rawAuthRequest(testbed.server, path, { ip: freshIp(), body }), deadline]);
    return { status, body: text };
  } finally {
    clearTimeout(timer);
  }
}

/** The provider has been handed the email (and is holding it): the answer did not wait for it. */
async function expectProviderHolds(address: string) {
  await expect.poll(() => testbed.provider.requests.filter((r) => r.to === address).length).toBe(1);
}

describe("with a provider that holds every send", () => {
  for (const path of ["/otp", "/recover"] as const) {
    it(`POST ${path} answers an address with an account before the provider answers, as it answers an unknown one; the email arrives after`, async () => {
      const known = (await createConfirmedUser(testbed.server, `held${path.slice(1)}`)).email;
      const unknown = uniqueEmail(`held${path.slice(1)}-unknown`);
      // As the login page asks: sign-up is on in this file, and an unknown address stays unknown.
      const options = path === "/otp" ? { create_user: false } : {};
      const release = holdSendsTo(known, unknown);
      try {
        const answers = [
          await answerWithinDeadline(path, { email: known, ...options }),
          await answerWithinDeadline(path, { email: unknown, ...options }),
        ];
        expect(answers).toEqual([
          { status: 200, body: "{}" },
          { status: 200, body: "{}" },
        ]);
        await expectProviderHolds(known);
      } finally {
        release();
      }
      const mail = await latestEmailTo(known);
      expect(mail?.subject).toMatch(path === "/otp" ? /sign-in link/ : /Reset your/);
      expect(await countEmailsTo(unknown)).toBe(0);
    });
  }

  it("POST /signup answers a new address before the provider answers, as it answers a confirmed one; the confirmation arrives after", async () => {
    const fresh = uniqueEmail("held-signup");
    const confirmed = (await createConfirmedUser(testbed.server, "held-signup-confirmed")).email;
    const release = holdSendsTo(fresh, confirmed);
    const password = "a long enough passphrase";
    try {
      const answers = [
        await answerWithinDeadline("/signup", { email: fresh, password }),
        await answerWithinDeadline("/signup", { email: confirmed, password }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      await expectProviderHolds(fresh);
    } finally {
      release();
    }
    expect((await latestEmailTo(fresh))?.subject).toMatch(/Confirm your/);
    expect(await countEmailsTo(confirmed)).toBe(0);
  });

  it("POST /resend answers an unconfirmed address before the provider answers, as it answers an unknown one; the confirmation arrives after", async () => {
    const unconfirmed = uniqueEmail("held-resend");
    const created = await testbed.server.adminClient().auth.admin.createUser({ email: unconfirmed, password: "a long enough passphrase" });
    expect(created.error).toBeNull();
    const unknown = uniqueEmail("held-resend-unknown");
    const release = holdSendsTo(unconfirmed, unknown);
    try {
      const answers = [
        await answerWithinDeadline("/resend", { type: "signup", email: unconfirmed }),
        await answerWithinDeadline("/resend", { type: "signup", email: unknown }),
      ];
      expect(answers).toEqual([
        { status: 200, body: "{}" },
        { status: 200, body: "{}" },
      ]);
      await expectProviderHolds(unconfirmed);
    } finally {
      release();
    }
    expect((await latestEmailTo(unconfirmed))?.subject).toMatch(/Confirm your/);
    expect(await countEmailsTo(unknown)).toBe(0);
  });
});
