import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";

/**
 * A few of Acme's demo leads with an AI enrichment answer, so the ICP fit and icebreaker columns
 * and the lead page's panel show what the feature gives before a model is configured. The
 * answers are written here from the lead's own fields (deterministic, no model involved) and
 * labelled as sample data wherever they show (`sample: true`, the model named as the seed). A
 * lead that already has an answer (a real run's) is never touched.
 */
export const DEMO_AI_MODEL = "sample data (demo seed, no model)";
const SAMPLE_LEADS = 12;

const TARGET_TITLES = /head of sales|vp sales|chief revenue|sales director/i;
const TARGET_COUNTRIES = new Set(["France", "Germany", "Spain", "Netherlands", "United Kingdom"]);

type SampleLead = { id: string; first_name: string | null; title: string | null; country: string | null; company: string | null };

export function sampleInsight(lead: SampleLead, at: string) {
  const company = lead.company ?? "your company";
  const titleFits = TARGET_TITLES.test(lead.title ?? "");
  const countryFits = TARGET_COUNTRIES.has(lead.country ?? "");
  const fitScore = 30 + (titleFits ? 45 : 0) + (countryFits ? 15 : 0);
  const icebreaker = `(Sample) ${lead.first_name ?? "Hi"}, noticed ${company} is growing its team${lead.title ? ` — curious how you approach outbound as ${lead.title}` : ""}.`;
  return {
    icebreaker,
    companySummary: `${company} is one of this demo's sample companies. This summary is sample text written by the demo seed, not by a model.`,
    fitScore,
    fitReasons: [
      titleFits ? `Title: ${lead.title} is a target title` : `Title: ${lead.title ?? "none"} is not a target title`,
      countryFits ? `Country: ${lead.country} is a target country` : `Country: ${lead.country ?? "unknown"} is not a target country`,
    ],
    model: DEMO_AI_MODEL,
    sample: true,
    at,
  };
}

export async function seedDemoAiInsights(db: Database, workspaceId: string, anchor: Date): Promise<number> {
  const leads = await db.execute<SampleLead>(sql`
    select l.id, l.first_name, l.title, l.country, coalesce(c.name, l.company_name) company
    from leads l left join companies c on c.id = l.company_id and c.workspace_id = l.workspace_id
    where l.workspace_id = ${workspaceId} and l.deleted_at is null and l.email is not null and not (l.enrichment ? 'ai')
    order by l.email limit ${SAMPLE_LEADS}`);
  const [existing] = await db.execute<{ n: number }>(
    sql`select count(*)::int n from leads where workspace_id = ${workspaceId} and enrichment -> 'ai' ->> 'model' = ${DEMO_AI_MODEL}`,
  );
  if ((existing?.n ?? 0) >= SAMPLE_LEADS) return 0;
  for (const lead of leads.slice(0, SAMPLE_LEADS - (existing?.n ?? 0))) {
    const ai = sampleInsight(lead, anchor.toISOString());
    await db.execute(sql`update leads set enrichment = enrichment || jsonb_build_object('icebreaker', ${ai.icebreaker}::text, 'ai', ${JSON.stringify(ai)}::jsonb)
      where id = ${lead.id} and workspace_id = ${workspaceId}`);
  }
  return leads.length;
}
