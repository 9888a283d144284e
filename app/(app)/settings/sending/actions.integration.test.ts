/**
 * Settings → Sending as a browser calls it (session → action → service → RLS): a from domain
 * another workspace sends from is refused on the From address field, in words that name the
 * domain and nothing of that workspace.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import { sendingIdentities } from "@/db/schema";
import { executeAction } from "@/lib/actions/execute-action";
import type { SendingIdentityForm } from "@/lib/sending-identities/schemas";
import { sessionOf } from "@/tests/fixtures/sessions";
import { createTenancyFixture, randomSuffix, removeTenancyFixture, type TenancyFixture } from "@/tests/fixtures/tenancy";
import { addSendingIdentity, saveSendingIdentity } from "./actions";

let fx: TenancyFixture;
const takenDomain = `acme-${randomSuffix()}.example`;

const form = (fromEmail: string): SendingIdentityForm => ({
  fromName: "Hélène Dubois",
  fromEmail,
  replyTo: "",
  dailyCap: "40",
  sendDays: ["1", "2", "3", "4", "5"],
  sendFrom: "09:00",
  sendUntil: "17:00",
  timeZone: "Europe/Berlin",
  postalAddress: "Globex GmbH, Unter den Linden 1, 10117 Berlin",
  signature: "",
});

beforeAll(async () => {
  fx = await createTenancyFixture();
  await serviceDb()
    .insert(sendingIdentities)
    .values({ workspaceId: fx.a.id, createdBy: fx.a.members.admin.id, fromName: "Renée Lefèvre", fromEmail: `ceo@${takenDomain}` });
});

afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

describe("Settings → Sending", () => {
  it("refuses another workspace's from domain on the From address field, when adding and when editing", async () => {
    const admin = fx.b.members.admin;
    const message = `${takenDomain} is already used to send by another workspace here. Ask one of its admins to add this address, or use a domain of your own.`;
    const refused = { ok: false, code: "conflict", error: message, fieldErrors: { fromEmail: [message] } };

    const added = await executeAction(addSendingIdentity.definition, await sessionOf(admin, fx.b.id), form(`CEO@${takenDomain}`));
    expect(added).toEqual(refused);
    expect(JSON.stringify(added)).not.toContain(fx.a.name);

    const own = await executeAction(
      addSendingIdentity.definition,
      await sessionOf(admin, fx.b.id),
      form(`sales@globex-${randomSuffix()}.example`),
    );
    expect(own).toMatchObject({ ok: true });
    const { id } = (own as { data: { id: string } }).data;
    const saved = await executeAction(saveSendingIdentity.definition, await sessionOf(admin, fx.b.id), {
      identityId: id,
      ...form(`sales@${takenDomain}`),
    });
    expect(saved).toEqual(refused);
    const inB = await serviceDb()
      .select({ fromEmail: sendingIdentities.fromEmail })
      .from(sendingIdentities)
      .where(eq(sendingIdentities.workspaceId, fx.b.id));
    expect(inB.map((i) => i.fromEmail)).not.toContain(`sales@${takenDomain}`);
  });
});
