import { and, eq } from "drizzle-orm";
import { authUsers } from "drizzle-orm/supabase";
import { withUserTx, type Database } from "@/db";
import { sendingIdentities, workspaceMembers, workspaces } from "@/db/schema";
import { ZSendingIdentityFields, type SendingIdentityForm } from "@/lib/sending-identities/schemas";
import { createSendingIdentity } from "@/lib/sending-identities/sending-identities";

/** Acme's two mailboxes: the demo's campaigns send from them (scripts/lib/seed*.ts). */
export const DEMO_IDENTITIES: { workspaceSlug: string; admin: string; form: SendingIdentityForm }[] = [
  {
    workspaceSlug: "acme-outbound",
    admin: "admin@acme.test",
    form: {
      fromName: "Amélie Durand",
      fromEmail: "amelie.durand@acme.test",
      replyTo: "",
      dailyCap: 80,
      sendDays: [1, 2, 3, 4, 5],
      sendFrom: "09:00",
      sendUntil: "17:00",
      timeZone: "Europe/Paris",
      postalAddress: "Acme Outbound SAS, 12 rue de la Paix, 75002 Paris, France",
      signature: "Amélie Durand\nHead of Partnerships, Acme Outbound",
    },
  },
  {
    workspaceSlug: "acme-outbound",
    admin: "admin@acme.test",
    form: {
      fromName: "Bruno Sánchez",
      fromEmail: "bruno.sanchez@acme.test",
      replyTo: "sales@acme.test",
      dailyCap: 50,
      // Every day, all day: the demo's running campaign sends from this mailbox, and a fresh
      // `npm run dev` must find it sending at whatever hour and day it is started.
      sendDays: [1, 2, 3, 4, 5, 6, 7],
      sendFrom: "00:00",
      sendUntil: "24:00",
      timeZone: "America/New_York",
      postalAddress: "Acme Outbound Inc., 500 Market Street, Suite 200, San Francisco, CA 94105, USA",
      signature: "Bruno Sánchez\nAccount Executive · Acme Outbound",
    },
  },
];

const DEMO_DOMAIN = "@acme.test";

/** The demo's addresses on another domain. */
function onDomain(form: SendingIdentityForm, domain: string): SendingIdentityForm {
  const move = (address: string) => address.replace(DEMO_DOMAIN, `@${domain}`);
  return { ...form, fromEmail: move(form.fromEmail), replyTo: form.replyTo && move(form.replyTo) };
}

/**
 * Creates the demo's sending identities as the workspace's admin, through the service (RLS,
 * role check, audit). Returns their ids by from address; an identity that exists is kept, so
 * a forced re-seed changes nothing. Skipped when the workspace or its admin is gone.
 * `where.domain` replaces acme.test: tests seeding several workspaces of one database need it,
 * as the service refuses a from domain that another workspace sends from.
 */
export async function seedDemoIdentities(
  db: Database,
  where?: { workspaceSlug: string; admin: string; domain?: string },
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const demo of DEMO_IDENTITIES) {
    const { workspaceSlug, admin } = where ?? demo;
    const form = where?.domain ? onDomain(demo.form, where.domain) : demo.form;
    const [who] = await db
      .select({ workspaceId: workspaces.id, userId: authUsers.id, email: authUsers.email })
      .from(workspaces)
      .innerJoin(workspaceMembers, eq(workspaceMembers.workspaceId, workspaces.id))
      .innerJoin(authUsers, eq(authUsers.id, workspaceMembers.userId))
      .where(and(eq(workspaces.slug, workspaceSlug), eq(authUsers.email, admin), eq(workspaceMembers.role, "admin")));
    if (!who) continue;
    const fields = ZSendingIdentityFields.parse(form);
    const [existing] = await db
      .select({ id: sendingIdentities.id })
      .from(sendingIdentities)
      .where(and(eq(sendingIdentities.workspaceId, who.workspaceId), eq(sendingIdentities.fromEmail, fields.fromEmail)));
    ids[fields.fromEmail] =
      existing?.id ??
      (
        await withUserTx({ sub: who.userId, role: "authenticated", email: who.email ?? admin }, (tx) =>
          createSendingIdentity(tx, { workspaceId: who.workspaceId, userId: who.userId, role: "admin" }, fields),
        )
      ).id;
  }
  return ids;
}
