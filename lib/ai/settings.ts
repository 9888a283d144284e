import "server-only";
import { eq, sql, type SQL } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { aiUsage, workspaceAiSettings, workspaces } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { can } from "@/lib/auth/permissions";
import type { WorkspaceRole } from "@/lib/auth/roles";
import { AppError, notFound } from "@/lib/errors";
import type { ModelPrice } from "./pricing";
import type { AiSettingsInput, IcebreakerTone } from "./settings-schema";

export type AiSettings = {
  icpDescription: string;
  targetTitles: string[];
  targetSeniorities: string[];
  targetIndustries: string[];
  companySizes: string[];
  countries: string[];
  icebreakerTone: IcebreakerTone;
  icebreakerLanguage: string;
  /** null: the server's OPENAI_MODEL. */
  model: string | null;
  /** USD per calendar month in the workspace's time zone; null: no limit. */
  monthlyBudgetUsd: number | null;
  prices: Record<string, ModelPrice>;
  updatedAt: Date;
};

export const ICP_MISSING =
  "Fit scores need an ideal customer profile, and this workspace has none yet. An admin describes it in Settings → AI.";

/** Whether scoring has anything to score against: a description or at least one target. */
export function hasIdealCustomerProfile(s: AiSettings): boolean {
  return (
    s.icpDescription.trim() !== "" ||
    [s.targetTitles, s.targetSeniorities, s.targetIndustries, s.companySizes, s.countries].some((list) => list.length > 0)
  );
}

/** The workspace's AI settings (any member reads them, under RLS; jobs through the service connection). */
export async function getAiSettings(db: Executor, { workspaceId }: { workspaceId: string }): Promise<AiSettings> {
  const [row] = await (db as Database).select().from(workspaceAiSettings).where(eq(workspaceAiSettings.workspaceId, workspaceId));
  if (!row) throw notFound("That workspace's AI settings");
  const { workspaceId: _ws, updatedBy: _by, ...settings } = row;
  return settings;
}

/** An admin saves the settings, audited with the values before and after (the RLS policy checks the role again). */
export async function updateAiSettings(
  tx: Database,
  actor: { workspaceId: string; userId: string; role: WorkspaceRole },
  input: AiSettingsInput,
): Promise<AiSettings> {
  if (!can(actor.role, "ai.manage")) {
    throw new AppError("forbidden", "Only an admin can change the workspace's AI settings. Ask an admin of this workspace.");
  }
  const models = input.prices.map((p) => p.model);
  const repeated = models.find((model, i) => models.indexOf(model) !== i);
  if (repeated)
    throw new AppError("invalid_input", `The price table names ${repeated} twice.`, { prices: [`${repeated} is listed twice.`] });
  const before = await getAiSettings(tx, actor);
  const values = {
    icpDescription: input.icpDescription,
    targetTitles: input.targetTitles,
    targetSeniorities: input.targetSeniorities,
    targetIndustries: input.targetIndustries,
    companySizes: input.companySizes,
    countries: input.countries,
    icebreakerTone: input.icebreakerTone,
    icebreakerLanguage: input.icebreakerLanguage,
    model: input.model,
    monthlyBudgetUsd: input.monthlyBudgetUsd,
    prices: Object.fromEntries(input.prices.map(({ model, ...price }) => [model, price])),
    updatedBy: actor.userId,
    updatedAt: sql`now()` as unknown as Date,
  };
  const updated = await tx
    .update(workspaceAiSettings)
    .set(values)
    .where(eq(workspaceAiSettings.workspaceId, actor.workspaceId))
    .returning({ workspaceId: workspaceAiSettings.workspaceId });
  if (updated.length === 0) throw notFound("That workspace's AI settings");
  const after = await getAiSettings(tx, actor);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: "workspace.ai_settings_updated",
    targetType: "workspace",
    targetId: actor.workspaceId,
    metadata: { before: { ...before, updatedAt: undefined }, after: { ...after, updatedAt: undefined } },
  });
  return after;
}

/**
 * What the workspace's AI use has cost since the start of this calendar month in its own time
 * zone, as an SQL expression (numeric): for a statement that reads it with something else at
 * once (lib/ai/budget.ts).
 */
export function spentThisMonthSql(workspaceId: string): SQL<string> {
  const timeZone = sql`(select ${workspaces.timeZone} from ${workspaces} where ${workspaces.id} = ${workspaceId})`;
  return sql<string>`(select coalesce(sum(${aiUsage.costUsd}), 0) from ${aiUsage}
    where ${aiUsage.workspaceId} = ${workspaceId} and ${aiUsage.createdAt} >= date_trunc('month', now() at time zone ${timeZone}) at time zone ${timeZone})`;
}

/** What the workspace's AI use has cost since the start of this calendar month in its own time zone. */
export async function spentThisMonthUsd(db: Executor, { workspaceId }: { workspaceId: string }): Promise<number> {
  const [row] = await (db as Database).execute<{ total: string }>(sql`select ${spentThisMonthSql(workspaceId)}::text as total`);
  return Number(row?.total ?? 0);
}
