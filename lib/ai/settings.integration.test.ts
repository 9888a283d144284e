import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/db";
import {
  asUser,
  createTenancyFixture,
  outcome,
  removeTenancyFixture,
  type TenancyFixture,
  type TenancyWorkspace,
} from "@/tests/fixtures/tenancy";
import { costUsd, DEFAULT_MODEL_PRICES } from "./pricing";
import { getAiSettings, hasIdealCustomerProfile, spentThisMonthUsd, updateAiSettings } from "./settings";
import { ZAiSettings, type AiSettingsForm } from "./settings-schema";
import { recordAiCalls } from "./usage";

let fx: TenancyFixture;
beforeAll(async () => {
  fx = await createTenancyFixture();
});
afterAll(async () => {
  if (fx) await removeTenancyFixture(fx);
});

const form = (more: Partial<AiSettingsForm> = {}): AiSettingsForm => ({
  icpDescription: "B2B SaaS companies selling to finance teams in Europe.",
  targetTitles: "Head of Sales\nVP Sales, Chief Revenue Officer",
  targetSeniorities: "vp, head, c_suite",
  targetIndustries: "Software",
  companySizes: "51-200\n201-500",
  countries: "Germany, France, España",
  icebreakerTone: "professional",
  icebreakerLanguage: "German",
  model: "",
  monthlyBudgetUsd: "25",
  prices: [
    { model: "gpt-4o-mini", input: "0.15", cachedInput: "0.075", output: "0.60" },
    { model: "llama3.1:8b", input: "0", cachedInput: "0", output: "0" },
  ],
  ...more,
});
const actor = (ws: TenancyWorkspace, role: "admin" | "sales_rep" = "admin") => ({
  workspaceId: ws.id,
  userId: ws.members[role].id,
  role,
});
const save = (ws: TenancyWorkspace, input: AiSettingsForm, role: "admin" | "sales_rep" = "admin") =>
  asUser(ws.members[role], (tx) => updateAiSettings(tx, actor(ws, role), ZAiSettings.parse(input)));

describe("AI settings", () => {
  it("a workspace that never saved them has no profile (scoring refuses) and the list prices", async () => {
    const settings = await asUser(fx.b.members.sales_rep, (tx) => getAiSettings(tx, { workspaceId: fx.b.id }));
    expect(settings).toMatchObject({
      icpDescription: "",
      targetTitles: [],
      icebreakerTone: "friendly",
      icebreakerLanguage: "English",
      model: null,
      monthlyBudgetUsd: null,
      prices: DEFAULT_MODEL_PRICES,
    });
    expect(hasIdealCustomerProfile(settings)).toBe(false);
    expect(settings.prices["gpt-4o-mini"]).toEqual({ input: 0.15, cachedInput: 0.075, output: 0.6 });
  });

  it("an admin saves them, a rep of the workspace reads them, and the change is audited", async () => {
    const saved = await save(fx.a, form());
    expect(saved).toMatchObject({
      targetTitles: ["Head of Sales", "VP Sales", "Chief Revenue Officer"],
      countries: ["Germany", "France", "España"],
      icebreakerTone: "professional",
      model: null,
      monthlyBudgetUsd: 25,
      prices: { "gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6 }, "llama3.1:8b": { input: 0, cachedInput: 0, output: 0 } },
    });
    expect(hasIdealCustomerProfile(saved)).toBe(true);
    const read = await asUser(fx.a.members.sales_rep, (tx) => getAiSettings(tx, { workspaceId: fx.a.id }));
    expect(read).toEqual(saved);
    const [audit] = await serviceDb().execute<{ n: number }>(
      sql`select count(*)::int n from audit_log where workspace_id = ${fx.a.id} and action = 'workspace.ai_settings_updated'`,
    );
    expect(audit!.n).toBeGreaterThanOrEqual(1);
  });

  it("refuses a rep in the service and in the database, and another workspace sees nothing of them", async () => {
    await expect(save(fx.a, form({ icpDescription: "Anyone at all" }), "sales_rep")).rejects.toMatchObject({
      code: "forbidden",
      message: "Only an admin can change the workspace's AI settings. Ask an admin of this workspace.",
    });
    // Around the service: RLS keeps the row as it was.
    await asUser(fx.a.members.sales_rep, (tx) =>
      tx.execute(sql`update workspace_ai_settings set icp_description = 'forged' where workspace_id = ${fx.a.id}`),
    );
    expect(
      await outcome(() =>
        asUser(fx.a.members.sales_rep, (tx) =>
          tx.execute(sql`insert into workspace_ai_settings (workspace_id, prices) values (${fx.a.id}, '{}') on conflict do nothing`),
        ),
      ),
    ).toBe("denied");
    const [row] = await serviceDb().execute<{ icp: string }>(
      sql`select icp_description icp from workspace_ai_settings where workspace_id = ${fx.a.id}`,
    );
    expect(row!.icp).toBe("B2B SaaS companies selling to finance teams in Europe.");
    // B's admin reads nothing of A's row, and cannot write it.
    await expect(asUser(fx.b.members.admin, (tx) => getAiSettings(tx, { workspaceId: fx.a.id }))).rejects.toMatchObject({
      code: "not_found",
    });
    await asUser(fx.b.members.admin, (tx) =>
      tx.execute(sql`update workspace_ai_settings set model = 'forged' where workspace_id = ${fx.a.id}`),
    );
    const [after] = await serviceDb().execute<{ model: string | null }>(
      sql`select model from workspace_ai_settings where workspace_id = ${fx.a.id}`,
    );
    expect(after!.model).toBeNull();
  });

  it("answers bad input with messages a person can act on", () => {
    const problems = (input: AiSettingsForm) => ZAiSettings.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(problems(form({ monthlyBudgetUsd: "ten dollars" }))).toEqual([
      "monthlyBudgetUsd: Enter the budget in dollars, like 50, or leave it empty for no limit.",
    ]);
    expect(problems(form({ monthlyBudgetUsd: "-5" }))).toEqual(["monthlyBudgetUsd: A budget cannot be negative."]);
    expect(problems(form({ icebreakerTone: "sarcastic" as "friendly" }))).toEqual(["icebreakerTone: Choose a tone from the list."]);
    expect(problems(form({ prices: [{ model: "gpt-4o-mini", input: "abc", cachedInput: "0", output: "0" }] }))).toEqual([
      "prices.0.input: Enter a price in dollars, like 0.15.",
    ]);
    expect(ZAiSettings.parse(form({ monthlyBudgetUsd: " " })).monthlyBudgetUsd).toBeNull();
  });

  it("refuses a price table that names a model twice", async () => {
    const twice = form({
      prices: [
        { model: "gpt-4o-mini", input: "0.15", cachedInput: "0.075", output: "0.6" },
        { model: "gpt-4o-mini", input: "1", cachedInput: "1", output: "1" },
      ],
    });
    await expect(save(fx.a, twice)).rejects.toMatchObject({ code: "invalid_input", message: "The price table names gpt-4o-mini twice." });
  });
});

describe("the usage ledger", () => {
  it("records every call at the workspace's prices and sums this month's spend in the workspace's time zone", async () => {
    const db = serviceDb();
    const prices = { ...DEFAULT_MODEL_PRICES };
    const calls = [
      {
        model: "gpt-4o-mini-2024-07-18",
        usage: { promptTokens: 1200, cachedTokens: 1024, completionTokens: 80 },
        outcome: "invalid" as const,
      },
      {
        model: "gpt-4o-mini-2024-07-18",
        usage: { promptTokens: 1300, cachedTokens: 1024, completionTokens: 90 },
        outcome: "valid" as const,
      },
      { model: "llama3.1:8b", usage: { promptTokens: 900, cachedTokens: 0, completionTokens: 70 }, outcome: "valid" as const },
    ];
    const before = await spentThisMonthUsd(db, { workspaceId: fx.b.id });
    const cost = await recordAiCalls(db, { workspaceId: fx.b.id, feature: "enrichment", calls, prices, runId: "run-1" });
    const expected = costUsd(calls[0]!.usage, prices["gpt-4o-mini"]!) + costUsd(calls[1]!.usage, prices["gpt-4o-mini"]!);
    expect(cost).toBeCloseTo(expected, 10);
    expect(await spentThisMonthUsd(db, { workspaceId: fx.b.id })).toBeCloseTo(before + expected, 7);

    // A call of last month (in the workspace's zone) is not this month's.
    await db.execute(sql`update workspaces set time_zone = 'Pacific/Kiritimati' where id = ${fx.b.id}`);
    await db.execute(sql`insert into ai_usage (workspace_id, feature, model, prompt_tokens, completion_tokens, cost_usd, outcome, created_at)
      values (${fx.b.id}, 'enrichment', 'gpt-4o-mini', 10, 10, 5, 'valid',
        (date_trunc('month', now() at time zone 'Pacific/Kiritimati') at time zone 'Pacific/Kiritimati') - interval '1 second')`);
    expect(await spentThisMonthUsd(db, { workspaceId: fx.b.id })).toBeCloseTo(before + expected, 7);
    // A's spend is A's alone.
    expect(await spentThisMonthUsd(db, { workspaceId: fx.a.id })).toBe(0);
  });

  it("is read by the workspace's members with analytics.read (not viewers, not other workspaces), and written by no user", async () => {
    const visible = (user: { id: string; email: string; fullName: string }) =>
      asUser(user, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int n from ai_usage where workspace_id = ${fx.b.id}`)).then(
        (r) => r[0]!.n,
      );
    expect(await visible(fx.b.members.analyst)).toBeGreaterThan(0);
    expect(await visible(fx.b.members.admin)).toBeGreaterThan(0);
    expect(await visible(fx.b.members.sales_rep)).toBeGreaterThan(0);
    expect(await visible(fx.b.members.viewer)).toBe(0);
    expect(await visible(fx.a.members.admin)).toBe(0);
    expect(
      await outcome(() =>
        asUser(fx.b.members.admin, (tx) =>
          tx.execute(sql`insert into ai_usage (workspace_id, feature, model, prompt_tokens, completion_tokens, cost_usd, outcome)
            values (${fx.b.id}, 'enrichment', 'gpt-4o-mini', 1, 1, 0, 'valid')`),
        ),
      ),
    ).toBe("denied");
  });
});
