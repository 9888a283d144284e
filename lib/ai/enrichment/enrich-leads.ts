import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { aiUsage, apolloEnrichedPeople, companies, leads } from "@/db/schema";
import { pgArray } from "@/db/pg-array";
import { AppError } from "@/lib/errors";
import { reserveAiSpend, type AiReservation } from "../budget";
import { aiModel, type AiModel } from "../model";
import { billedPrice, costUsd } from "../pricing";
import { getAiSettings, hasIdealCustomerProfile, ICP_MISSING, spentThisMonthUsd, type AiSettings } from "../settings";
import { answeredCalls, askStructured, AiAnswerInvalid, mostStructuredUsage, type StructuredAnswer } from "../structured";
import { recordAiCalls } from "../usage";
import { apolloFacts } from "./apollo-facts";
import {
  leadInsightCacheKey,
  leadInsightMessages,
  leadInsightPromptTokens,
  MAX_COMPLETION_TOKENS,
  ZLeadInsight,
  type InsightLead,
  type InsightProfile,
  type LeadInsight,
} from "./lead-insight";

export type LeadInsightOutcome =
  | { leadId: string; state: "enriched"; costUsd: number }
  | { leadId: string; state: "cached"; costUsd: 0 }
  | { leadId: string; state: "failed"; reason: string; costUsd: number }
  | { leadId: string; state: "not_found"; costUsd: 0 };

export type LeadInsightBatch = {
  outcomes: LeadInsightOutcome[];
  /** Why the batch stopped before every lead was done (the monthly budget), or null. */
  stopped: string | null;
};

export type EnrichOptions = {
  /** Tests and the benchmark bring their own model (the fake server); otherwise the configured one. */
  ai?: AiModel;
  /** Calls in flight at once. */
  concurrency?: number;
  runId?: string | null;
  /**
   * The text of a company's public homepage by its domain, or null (lib/ai/enrichment/homepage.ts):
   * given, each lead with a company domain gets it in its prompt (and so in its cache key).
   */
  homepageText?: (domain: string) => Promise<string | null>;
};

const usd = (value: number) => `$${value.toFixed(2)}`;

/**
 * Enriches a batch of a workspace's leads (the enrichment job's step; the service connection,
 * scoped by workspace): each lead answered from the cache when its inputs did not change, or
 * asked of the model, its answer validated (repaired once), then written to the lead with the
 * model and the time, to the cache and to the usage ledger in one transaction, so a retried
 * step neither loses nor pays twice for a lead already done. A lead the model cannot answer
 * in the schema fails alone, with the reason. Each call first reserves the most it can cost
 * against the month's budget, which every feature shares (lib/ai/budget.ts): the batch stops at
 * the first call the budget cannot pay for, saying so, and never passes it, whatever else spends
 * meanwhile. A model server that is down throws AiUnavailable: what was written stays, and so do
 * the ledger rows of the calls it answered before (a first answer whose repair never came).
 */
export async function enrichLeadInsights(
  db: Database,
  { workspaceId, leadIds }: { workspaceId: string; leadIds: readonly string[] },
  options: EnrichOptions = {},
): Promise<LeadInsightBatch> {
  const settings = await getAiSettings(db, { workspaceId });
  if (!hasIdealCustomerProfile(settings)) throw new AppError("invalid_input", ICP_MISSING);
  const ai = options.ai ?? aiModel({ model: settings.model });
  const profile = profileOf(settings);
  const found = await loadInsightLeads(db, workspaceId, leadIds);
  if (options.homepageText) await addHomepages(found, options.homepageText);
  const outcomes: LeadInsightOutcome[] = leadIds
    .filter((id) => !found.has(id))
    .map((leadId) => ({ leadId, state: "not_found", costUsd: 0 }));

  // In the order asked for (a selection's order, a filter's sort).
  const keys = new Map(
    [...new Set(leadIds)].filter((id) => found.has(id)).map((id) => [id, leadInsightCacheKey(ai.model, profile, found.get(id)!.lead)]),
  );
  const cached = await readInsightCache(db, workspaceId, [...new Set(keys.values())]);
  const answeredInRun = options.runId ? await leadsAnsweredInRun(db, workspaceId, options.runId, [...keys.keys()]) : new Set<string>();
  const toAsk: string[] = [];
  for (const [leadId, key] of keys) {
    // Answered by this run already (a retried or replayed chunk): its answer was written with its
    // ledger row. Its prompt may differ now (a homepage that changed misses the cache), and asking
    // again would pay twice for the same lead. Counted as enriched: the first attempt's counts never committed.
    if (answeredInRun.has(leadId)) {
      outcomes.push({ leadId, state: "enriched", costUsd: 0 });
      continue;
    }
    const hit = cached.get(key);
    if (!hit) {
      toAsk.push(leadId);
      continue;
    }
    // Written again only where the lead does not hold this answer already (a re-run writes nothing).
    if (!holdsInsight(found.get(leadId)!, hit.value, hit.model)) await writeInsight(db, workspaceId, leadId, hit.value, hit.model);
    outcomes.push({ leadId, state: "cached", costUsd: 0 });
  }

  const mostCostOf = mostInsightCostUsd(settings, ai);
  // The budget that could not pay for the next lead, if one could not.
  let refused: { budgetUsd: number } | null = null;
  let next = 0;
  // A call that throws (the model server is down) stops the others from starting new calls; the
  // calls in flight finish and commit first, so nothing already answered is lost, then it is thrown.
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < toAsk.length && refused === null && failure === null) {
      const leadId = toAsk[next++]!;
      const lead = found.get(leadId)!.lead;
      const budget = await reserveAiSpend(db, { workspaceId, feature: "enrichment", maxCostUsd: mostCostOf(lead) });
      if (!budget.ok) {
        refused ??= budget;
        break;
      }
      const outcome = await enrichOne(db, ai, settings, {
        workspaceId,
        leadId,
        lead,
        key: keys.get(leadId)!,
        runId: options.runId ?? null,
        reservation: budget.reservation,
      });
      outcomes.push(outcome);
    }
  };
  const guarded = async () => {
    try {
      await worker();
    } catch (error) {
      failure ??= { error };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, toAsk.length)) }, guarded));
  if (failure) throw (failure as { error: unknown }).error;
  // What is spent once the calls in flight are settled, as the usage page shows it.
  const budgetUsd = (refused as { budgetUsd: number } | null)?.budgetUsd;
  const stopped =
    budgetUsd === undefined
      ? null
      : `This month's AI budget of ${usd(budgetUsd)} is spent (${usd(await spentThisMonthUsd(db, { workspaceId }))}): the leads not yet enriched were left as they are. An admin can raise the budget in Settings → AI.`;
  return { outcomes, stopped };
}

/** The most asking the model about a lead can cost (what its call reserves against the budget), for a batch's leads. */
export function mostInsightCostUsd(
  settings: AiSettings,
  { model, provider }: Pick<AiModel, "model" | "provider">,
): (lead: InsightLead) => number {
  const promptOf = leadInsightPromptTokens(profileOf(settings), model);
  // A model OpenAI bills and the table does not price stops the run here (UnpricedModel), before any call.
  const price = billedPrice(model, settings.prices, provider);
  return (lead) => costUsd(mostStructuredUsage(promptOf(lead), MAX_COMPLETION_TOKENS, model), price);
}

async function enrichOne(
  db: Database,
  ai: AiModel,
  settings: AiSettings,
  c: { workspaceId: string; leadId: string; lead: InsightLead; key: string; runId: string | null; reservation: AiReservation | null },
): Promise<LeadInsightOutcome> {
  const entry = {
    workspaceId: c.workspaceId,
    feature: "enrichment" as const,
    prices: settings.prices,
    leadId: c.leadId,
    runId: c.runId,
    reservation: c.reservation,
  };
  let answer: StructuredAnswer<LeadInsight>;
  try {
    answer = await askStructured(ai, {
      name: "lead_insight",
      schema: ZLeadInsight,
      messages: leadInsightMessages(profileOf(settings), c.lead),
      maxCompletionTokens: MAX_COMPLETION_TOKENS,
    });
  } catch (error) {
    // Whatever ended the request, the calls the model answered are billed: recorded, their cost
    // replacing the reservation (given back whole when the model never answered).
    const costUsd = await db.transaction((tx) => recordAiCalls(tx, { ...entry, calls: answeredCalls(error) }));
    if (error instanceof AiAnswerInvalid) return { leadId: c.leadId, state: "failed", reason: error.message, costUsd };
    throw error;
  }
  const { value, calls } = answer;
  const model = calls.at(-1)!.model;
  const costUsd = await db.transaction(async (tx) => {
    const cost = await recordAiCalls(tx, { ...entry, calls });
    await tx.execute(sql`insert into private.ai_result_cache (workspace_id, cache_key, feature, model, value)
      values (${c.workspaceId}, ${c.key}, 'enrichment', ${model}, ${JSON.stringify(value)}::jsonb)
      on conflict (workspace_id, cache_key) do nothing`);
    await writeInsight(tx, c.workspaceId, c.leadId, value, model);
    return cost;
  });
  return { leadId: c.leadId, state: "enriched", costUsd };
}

/** Each company's homepage once, a few at a time; a page that cannot be had leaves the lead without it. */
async function addHomepages(found: Map<string, LoadedLead>, homepageText: (domain: string) => Promise<string | null>): Promise<void> {
  const domains = [...new Set([...found.values()].map((l) => l.lead.companyDomain).filter((d): d is string => !!d))];
  const texts = new Map<string, string | null>();
  let next = 0;
  const worker = async () => {
    while (next < domains.length) {
      const domain = domains[next++]!;
      texts.set(domain, await homepageText(domain).catch(() => null));
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, domains.length) }, worker));
  for (const loaded of found.values()) {
    const text = loaded.lead.companyDomain ? texts.get(loaded.lead.companyDomain) : null;
    if (text) loaded.lead.companyHomepageText = text;
  }
}

function holdsInsight({ current }: LoadedLead, insight: LeadInsight, model: string): boolean {
  return (
    current?.model === model &&
    current.icebreaker === insight.icebreaker &&
    current.companySummary === insight.companySummary &&
    current.fitScore === insight.fitScore &&
    JSON.stringify(current.fitReasons) === JSON.stringify(insight.fitReasons)
  );
}

/** The answer on the lead, beside what else its enrichment holds (Apollo's): what the table, the panel and `{{ icebreaker }}` read. */
async function writeInsight(db: Database, workspaceId: string, leadId: string, insight: LeadInsight, model: string): Promise<void> {
  const ai = { ...insight, model, at: new Date().toISOString() };
  await db
    .update(leads)
    .set({
      enrichment: sql`${leads.enrichment} || jsonb_build_object('icebreaker', ${insight.icebreaker}::text, 'ai', ${JSON.stringify(ai)}::jsonb)`,
    })
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
}

/** The cached answers of these keys (a lead whose key is here costs nothing). */
export async function readInsightCache(db: Database, workspaceId: string, keys: string[]) {
  if (keys.length === 0) return new Map<string, { value: LeadInsight; model: string }>();
  const rows = await db.execute<{ cache_key: string; value: unknown; model: string }>(sql`
    select cache_key, value, model from private.ai_result_cache
    where workspace_id = ${workspaceId} and feature = 'enrichment' and cache_key = any(${pgArray(keys)}::text[])`);
  const map = new Map<string, { value: LeadInsight; model: string }>();
  for (const row of rows) {
    // A cached answer from before a schema change is asked again rather than trusted.
    const parsed = ZLeadInsight.safeParse(row.value);
    if (parsed.success) map.set(row.cache_key, { value: parsed.data, model: row.model });
  }
  return map;
}

/** The leads among `leadIds` that a call of run `runId` answered in the schema (their answer is on the lead). */
async function leadsAnsweredInRun(db: Database, workspaceId: string, runId: string, leadIds: readonly string[]): Promise<Set<string>> {
  if (leadIds.length === 0) return new Set();
  const rows = await db.execute<{ lead_id: string }>(sql`
    select distinct lead_id from ${aiUsage}
    where workspace_id = ${workspaceId} and run_id = ${runId} and outcome = 'valid'
      and lead_id = any(${pgArray(leadIds)}::uuid[])`);
  return new Set(rows.map((r) => r.lead_id));
}

export function profileOf(s: AiSettings): InsightProfile {
  const { icpDescription, targetTitles, targetSeniorities, targetIndustries, companySizes, countries, icebreakerTone, icebreakerLanguage } =
    s;
  return { icpDescription, targetTitles, targetSeniorities, targetIndustries, companySizes, countries, icebreakerTone, icebreakerLanguage };
}

/** A lead as the prompt sees it, and the answer it holds now (not part of the prompt). */
type LoadedLead = { lead: InsightLead; current: (Partial<LeadInsight> & { model?: string }) | null };

/** The leads' fields the prompt uses, with their company's; deleted leads and other workspaces' are not found. */
export async function loadInsightLeads(db: Database, workspaceId: string, leadIds: readonly string[]): Promise<Map<string, LoadedLead>> {
  if (leadIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: leads.id,
      firstName: leads.firstName,
      lastName: leads.lastName,
      title: leads.title,
      seniority: leads.seniority,
      department: leads.department,
      city: leads.city,
      country: leads.country,
      leadCompanyName: leads.companyName,
      companyName: companies.name,
      companyDomain: companies.domain,
      companyIndustry: companies.industry,
      companyEmployees: companies.employeeCount,
      companyDescription: companies.description,
      apolloPerson: apolloEnrichedPeople.person,
      current: sql<LoadedLead["current"]>`${leads.enrichment} -> 'ai'`,
    })
    .from(leads)
    .leftJoin(companies, and(eq(companies.id, leads.companyId), eq(companies.workspaceId, leads.workspaceId)))
    // The person Apollo revealed for the lead (an Apollo import or enrichment), kept per workspace.
    .leftJoin(
      apolloEnrichedPeople,
      and(eq(apolloEnrichedPeople.workspaceId, leads.workspaceId), eq(apolloEnrichedPeople.apolloPersonId, leads.apolloPersonId)),
    )
    .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.id, [...leadIds]), isNull(leads.deletedAt)));
  return new Map(
    rows.map(({ id, leadCompanyName, companyName, apolloPerson, current, ...lead }) => {
      const apollo = apolloFacts(apolloPerson);
      return [id, { lead: { ...lead, companyName: companyName ?? leadCompanyName, ...(apollo ? { apollo } : {}) }, current }];
    }),
  );
}
