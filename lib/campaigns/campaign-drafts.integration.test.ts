import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb, type Database } from "@/db";
import {
  asUser,
  createTenancyFixture,
  randomSuffix,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyMember,
} from "@/tests/fixtures/tenancy";
import { addLeadsToCampaign } from "./add-leads-to-campaign";
import { createCampaign } from "./create-campaign";
import { deleteCampaign } from "./delete-campaign";
import { getCampaign } from "./get-campaign";
import { listCampaigns } from "./list-campaigns";
import { saveCampaignDraft } from "./save-campaign-draft";
import type { CampaignDraft } from "./types";

/**
 * The editor's services against the real database: creating from each kind of audience, the
 * autosave (exact round trip, stale versions refused, another rep's campaign refused, a change to
 * an approved campaign returning it to draft through the triggers), the list and deleting drafts.
 */

let f: TenancyFixture;
let identities: string[];
let leadIds: string[];
let globexLeadId: string;
let viewId: string;
const db = () => serviceDb();

const actor = (m: TenancyMember) => ({ userId: m.id, role: m.role });
const rep = () => f.a.members.sales_rep;

const create = (m: TenancyMember, name: string, audience?: Parameters<typeof createCampaign>[1]["input"]["audience"]) =>
  asUser(m, (tx) => createCampaign(tx, { workspaceId: f.a.id, actor: actor(m), input: { name, audience } }));
const read = (m: TenancyMember, campaignId: string) => asUser(m, (tx) => getCampaign(tx, { workspaceId: f.a.id, campaignId }));
const save = (m: TenancyMember, draft: CampaignDraft) =>
  asUser(m, (tx) => saveCampaignDraft(tx, { workspaceId: f.a.id, actor: actor(m), draft }));

/** A two-step draft with an A/B subject, accents and quotes everywhere a rep would put them. */
function fullDraft(base: CampaignDraft): CampaignDraft {
  return {
    ...base,
    name: "Relance « cafés » de Lyon — Q1",
    identityIds: [...identities].sort(),
    // The lead table's canonical query (a save stores the filter in that form).
    audience: { kind: "filter", query: "status=new&country=FR" },
    stopOnReply: false,
    plainTextOnly: true,
    steps: [
      {
        id: randomUUID(),
        delayDays: 0,
        delayHours: 0,
        businessDays: false,
        variants: [
          { label: "A", weight: 50, subject: `Bonjour {{ first_name | default: "l'équipe" }}`, body: `Un café à "Lyon" ?\n\n— Zoë` },
          { label: "B", weight: 50, subject: "Une question pour {{ company }}", body: "Ça vous dirait d'en parler ?" },
        ],
      },
      {
        id: randomUUID(),
        delayDays: 3,
        delayHours: 4,
        businessDays: true,
        variants: [
          { label: "A", weight: 100, subject: "Re: {{ company }}", body: 'Je me permets de relancer, {{ first_name | default: "" }}.' },
        ],
      },
    ],
  };
}

async function approveAsAdmin(campaignId: string): Promise<void> {
  await asUser(rep(), (tx) => tx.execute(sql`update public.campaigns set status = 'pending_approval' where id = ${campaignId}`));
  const admin = f.a.members.admin;
  await asUser(admin, async (tx: Database) => {
    const [row] = await tx.execute<{ h: string }>(sql`select private.campaign_content_hash(${campaignId}) as h`);
    await tx.execute(sql`update public.campaigns set status = 'approved', approved_content_hash = ${row!.h},
      approved_by = ${admin.id}, approved_at = now() where id = ${campaignId}`);
  });
}

const statusOf = async (id: string) =>
  (await db().execute<{ status: string }>(sql`select status::text from public.campaigns where id = ${id}`))[0]?.status ?? "missing";

beforeAll(async () => {
  f = await createTenancyFixture();
  const suffix = randomSuffix();
  identities = [];
  for (const [name, email] of [
    ["Zoë Ångström", `zoe-${suffix}@acme.example`],
    ["José Núñez", `jose-${suffix}@acme.example`],
  ]) {
    const [row] = await db().execute<{ id: string }>(sql`
      insert into public.sending_identities (workspace_id, from_name, from_email, postal_address)
      values (${f.a.id}, ${name}, ${email}, '12 Rue de l''Église, 69002 Lyon') returning id`);
    identities.push(row!.id);
  }
  const leads = await db().execute<{ id: string }>(sql`
    insert into public.leads (workspace_id, first_name, last_name, email, country)
    values (${f.a.id}, 'Amélie', 'Poulain', ${`amelie-${suffix}@cafe.example`}, 'FR'),
           (${f.a.id}, 'Søren', 'O''Brien', ${`soren-${suffix}@cafe.example`}, 'DK')
    returning id`);
  leadIds = leads.map((r) => r.id);
  const [globex] = await db().execute<{ id: string }>(
    sql`insert into public.leads (workspace_id, first_name) values (${f.b.id}, 'Çağla') returning id`,
  );
  globexLeadId = globex!.id;
  const [view] = await db().execute<{ id: string }>(sql`
    insert into public.saved_views (workspace_id, owner_id, table_name, name, shared, state)
    values (${f.a.id}, ${f.a.members.manager.id}, 'leads', 'Cafés « FR »', true, '{"country":"FR","status":"new"}') returning id`);
  viewId = view!.id;
});
afterAll(async () => {
  if (f) await removeTenancyFixture(f);
});

describe("creating a campaign", () => {
  it("starts a draft owned by the rep, with a saved view copied as its query at that moment", async () => {
    const { id } = await create(rep(), "Cafés de France", { kind: "view", viewId });
    await db().execute(sql`update public.saved_views set state = '{"country":"DE"}' where id = ${viewId}`);
    const campaign = await read(rep(), id);
    expect(campaign).toMatchObject({ status: "draft", ownerId: rep().id, ownerName: rep().fullName, name: "Cafés de France" });
    expect(campaign.draft).toMatchObject({
      audience: { kind: "view", viewId, viewName: "Cafés « FR »", query: "status=new&country=FR" },
      stopOnReply: true,
      plainTextOnly: false,
      steps: [],
      identityIds: [],
    });
    await db().execute(sql`update public.saved_views set state = '{"country":"FR","status":"new"}' where id = ${viewId}`);
  });

  it("keeps only the workspace's live leads of a selection, and refuses a viewer", async () => {
    const { id } = await create(rep(), "Picked by hand", { kind: "ids", ids: [leadIds[0]!, globexLeadId, leadIds[0]!] });
    expect((await read(rep(), id)).draft.audience).toEqual({ kind: "ids", ids: [leadIds[0]] });
    await expect(create(f.a.members.viewer, "Not mine to make")).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("saving a draft", () => {
  it("round-trips the whole draft exactly", async () => {
    const { id } = await create(rep(), "Brouillon");
    const draft = fullDraft((await read(rep(), id)).draft);
    const saved = await save(rep(), draft);
    expect(saved).toMatchObject({ status: "draft", returnedToDraft: false });
    const back = await read(rep(), id);
    expect(back.draft).toEqual({ ...draft, expectedUpdatedAt: saved.version });

    // Reordered steps keep their ids; a removed variant is gone; an unchanged save writes nothing.
    const reordered = {
      ...back.draft,
      steps: [back.draft.steps[1]!, { ...back.draft.steps[0]!, variants: [back.draft.steps[0]!.variants[0]!] }],
    };
    const again = await save(rep(), reordered);
    expect((await read(rep(), id)).draft).toEqual({ ...reordered, expectedUpdatedAt: again.version });
    expect(await save(rep(), { ...reordered, expectedUpdatedAt: again.version })).toEqual({ ...again, returnedToDraft: false });
  });

  it("refuses a save based on a stale version and writes nothing", async () => {
    const { id } = await create(rep(), "Deux onglets");
    const opened = (await read(rep(), id)).draft;
    await save(rep(), { ...opened, name: "Changed in the other tab" });
    await expect(save(rep(), fullDraft(opened))).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("changed elsewhere"),
    });
    const now = await read(rep(), id);
    expect(now.draft).toMatchObject({ name: "Changed in the other tab", steps: [], identityIds: [] });
  });

  it("refuses another rep's campaign and another workspace's; a manager may edit it", async () => {
    const { id } = await create(f.a.members.manager, "Le plan de José");
    const opened = (await read(rep(), id)).draft;
    await expect(save(rep(), { ...opened, name: "Taken over" })).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining(f.a.members.manager.fullName),
    });
    const globex = f.b.members.admin;
    await expect(
      asUser(globex, (tx) => saveCampaignDraft(tx, { workspaceId: f.b.id, actor: actor(globex), draft: { ...opened, name: "Globex" } })),
    ).rejects.toMatchObject({ code: "not_found" });
    const { id: repsId } = await create(rep(), "Zoë's own");
    const repsDraft = (await read(rep(), repsId)).draft;
    await expect(save(f.a.members.manager, { ...repsDraft, name: "Tidied by the manager" })).resolves.toMatchObject({ status: "draft" });
    expect((await read(rep(), id)).name).toBe("Le plan de José");
  });

  it("returns an approved campaign to draft when its content changes, and leaves it approved otherwise", async () => {
    const { id } = await create(rep(), "Approuvée");
    const first = await save(rep(), fullDraft((await read(rep(), id)).draft));
    await approveAsAdmin(id);
    expect(await statusOf(id)).toBe("approved");

    let draft = (await read(rep(), id)).draft;
    expect(await save(rep(), draft)).toMatchObject({ status: "approved", returnedToDraft: false });
    const renamed = await save(rep(), { ...draft, name: "Approuvée (renommée)" });
    expect(renamed).toMatchObject({ status: "approved", returnedToDraft: false });
    expect(renamed.version).not.toBe(first.version);

    draft = (await read(rep(), id)).draft;
    const step = draft.steps[1]!;
    const edited = { ...draft, steps: [draft.steps[0]!, { ...step, variants: [{ ...step.variants[0]!, body: "Un autre texte." }] }] };
    expect(await save(rep(), edited)).toMatchObject({ status: "draft", returnedToDraft: true });
    expect(await statusOf(id)).toBe("draft");
  });

  it("refuses to edit a running campaign: pause it first", async () => {
    const { id } = await create(rep(), "En cours");
    await save(rep(), fullDraft((await read(rep(), id)).draft));
    await approveAsAdmin(id);
    await asUser(f.a.members.admin, (tx) =>
      tx.execute(sql`update public.campaigns set status = 'running', launched_at = now() where id = ${id}`),
    );
    const draft = (await read(rep(), id)).draft;
    await expect(save(rep(), { ...draft, stopOnReply: true })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("Pause it first"),
    });
    expect(await statusOf(id)).toBe("running");
  });

  it("refuses an archived identity and a step id of another campaign", async () => {
    const { id } = await create(rep(), "Identités");
    const opened = (await read(rep(), id)).draft;
    const [archived] = await db().execute<{ id: string }>(sql`
      insert into public.sending_identities (workspace_id, from_name, from_email, archived_at)
      values (${f.a.id}, 'Old box', ${`old-${randomSuffix()}@acme.example`}, now()) returning id`);
    await expect(save(rep(), { ...opened, identityIds: [archived!.id] })).rejects.toMatchObject({ code: "conflict" });
    const other = (await read(rep(), (await create(rep(), "Autre")).id)).draft;
    const savedOther = fullDraft(other);
    await save(rep(), savedOther);
    await expect(save(rep(), { ...opened, steps: [savedOther.steps[0]!] })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("another campaign"),
    });
  });
});

describe("the list, adding leads and deleting", () => {
  it("lists the workspace's campaigns with owner and step count, filtered by status and owner", async () => {
    const { id } = await create(f.a.members.admin, "Admin’s “big” push");
    await save(f.a.members.admin, { ...fullDraft((await read(f.a.members.admin, id)).draft), name: "Admin’s “big” push" });
    const list = (filters: { status?: ("draft" | "approved")[]; owner?: string }) =>
      asUser(f.a.members.viewer, (tx) =>
        listCampaigns(tx, {
          workspaceId: f.a.id,
          userId: f.a.members.viewer.id,
          filters: { status: filters.status ?? [], owner: filters.owner },
        }),
      );
    const all = await list({});
    expect(all.find((c) => c.id === id)).toMatchObject({
      name: "Admin’s “big” push",
      ownerName: f.a.members.admin.fullName,
      steps: 2,
      status: "draft",
    });
    const mine = await list({ owner: f.a.members.admin.id });
    expect(mine.map((c) => c.id)).toEqual([id]);
    const { id: repsId } = await create(rep(), "Prête à partir");
    await save(rep(), fullDraft((await read(rep(), repsId)).draft));
    await approveAsAdmin(repsId);
    const approved = await list({ status: ["approved"] });
    expect(approved.map((c) => c.id)).toContain(repsId);
    expect(approved.every((c) => c.status === "approved")).toBe(true);
    expect(
      await asUser(f.b.members.admin, (tx) =>
        listCampaigns(tx, { workspaceId: f.a.id, userId: f.b.members.admin.id, filters: { status: [] } }),
      ),
    ).toEqual([]);
  });

  it("adds picked leads to a draft of picked leads, and refuses one for a filter", async () => {
    const { id } = await create(rep(), "Sélection", { kind: "ids", ids: [leadIds[0]!] });
    const added = await asUser(rep(), (tx) =>
      addLeadsToCampaign(tx, { workspaceId: f.a.id, actor: actor(rep()), campaignId: id, ids: [leadIds[0]!, leadIds[1]!, globexLeadId] }),
    );
    expect(added).toEqual({ added: 1, total: 2, returnedToDraft: false, unknown: [globexLeadId] });
    expect((await read(rep(), id)).draft.audience).toEqual({ kind: "ids", ids: leadIds });
    const { id: filtered } = await create(rep(), "Filtre", { kind: "filter", query: "country=FR" });
    await expect(
      asUser(rep(), (tx) => addLeadsToCampaign(tx, { workspaceId: f.a.id, actor: actor(rep()), campaignId: filtered, ids: [leadIds[1]!] })),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("a lead filter") });
  });

  it("deletes a draft with its steps, but not a submitted campaign nor another rep's", async () => {
    const remove = (m: TenancyMember, campaignId: string) =>
      asUser(m, (tx) => deleteCampaign(tx, { workspaceId: f.a.id, actor: actor(m), campaignId }));
    const { id } = await create(rep(), "À jeter");
    await save(rep(), fullDraft((await read(rep(), id)).draft));
    const { id: managers } = await create(f.a.members.manager, "Pas à toi");
    await expect(remove(rep(), managers)).rejects.toMatchObject({ code: "forbidden" });
    await expect(remove(rep(), id)).resolves.toEqual({ name: "Relance « cafés » de Lyon — Q1" });
    expect(await statusOf(id)).toBe("missing");
    const steps = await db().execute<{ n: number }>(sql`select count(*)::int as n from public.campaign_steps where campaign_id = ${id}`);
    expect(steps[0]!.n).toBe(0);

    const { id: submitted } = await create(rep(), "Soumise");
    await asUser(rep(), (tx) => tx.execute(sql`update public.campaigns set status = 'pending_approval' where id = ${submitted}`));
    await expect(remove(rep(), submitted)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("Only a draft") });
    expect(await statusOf(submitted)).toBe("pending_approval");
  });
});
