import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { serviceDb } from "@/db";
import { env, integrationsSandboxEnabled } from "@/lib/env";
import { isSandboxKey } from "@/lib/integrations/sandbox/sandbox-key";
import { readBodyCapped } from "@/lib/security/read-body-capped";
import {
  addSandboxState,
  deleteSandboxState,
  findSandboxState,
  listSandboxState,
  listSandboxStateWhere,
  patchSandboxState,
  withSandboxLock,
  type SandboxScope,
} from "@/lib/integrations/sandbox/state";
import { INSTANTLY_TIME_ZONES } from "../time-zones";
import { sampleCampaigns, sampleDailyAnalytics, sampleLeads, sampleReceivedEmails, sampleSenders } from "./sample-data";

/**
 * The Instantly sandbox (DESIGN.md §4): the part of Instantly's API v2 the client calls, in
 * Instantly's shapes (vendors/instantly-resend.md part 1: Bearer auth, Fastify error bodies,
 * `{ items, next_starting_after }` pages whose last page with data still carries a cursor,
 * `POST /leads/list` with the cursor in the body), over the sample workspace, so the same
 * client code runs with its base URL pointed here. Answers only a sandbox key this server
 * minted (401 as Instantly words it otherwise), and nothing at all (404) where the sandbox is
 * off: in production unless enabled. Webhooks registered here are kept (per workspace) but never
 * called, as the sandbox has no events to send.
 *
 * It also takes the writes of a push (push/push-campaign.ts), in the shapes of the fake
 * (testing/fake-instantly.ts): `POST /campaigns` (a draft, status 0; 400 for a time zone not on
 * Instantly's list), `POST /leads/add` (1–1000 leads, `campaign_id` xor `list_id`, the skip
 * flags honoured, `leads_uploaded`/`skipped_count`/`created_leads` answered), and
 * `POST /campaigns/{id}/activate` and `/pause`. What a push created, like the webhooks, is kept
 * per workspace in PostgreSQL (sandbox/state.ts): a restart of the app keeps it, and every app
 * process serves the same sandbox. A created campaign is listed with the sample ones (and found by its name tag through
 * `?search=`), so the next sync shows it. Its sending accounts are the sample senders plus the
 * workspace's own sending identities, so a campaign of this workspace can be pushed here.
 */
const MAX_BODY = 64 * 1024;

type Item = Record<string, unknown>;

const json = (status: number, body: unknown) => Response.json(body, { status });
const fastifyError = (statusCode: number, error: string, message: string) => json(statusCode, { statusCode, error, message });

const ZLimit = z.coerce.number().int().min(1).max(100).default(100);
const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a YYYY-MM-DD date");
const ZDaily = z.object({
  campaign_id: z.string().min(1, "campaign_id is required"),
  start_date: ZDay.optional(),
  end_date: ZDay.optional(),
});
const ZLeadList = z
  .object({
    limit: ZLimit,
    starting_after: z.string().max(200).optional(),
    filter: z.enum(["FILTER_VAL_BOUNCED", "FILTER_VAL_UNSUBSCRIBED"]).optional(),
    campaign: z.string().max(200).optional(),
    contacts: z.array(z.string().max(320)).max(1000).optional(),
  })
  .loose();
const ZWebhookCreate = z
  .object({
    target_hook_url: z
      .string()
      .regex(/^https?:\/\//, "must match pattern ^https?://")
      .max(2000),
    event_type: z.string().max(100).nullish(),
    campaign: z.string().max(200).nullish(),
    name: z.string().max(200).nullish(),
    headers: z.record(z.string().max(200), z.string().max(2000)).nullish(),
  })
  .loose();

const ZCreateCampaign = z
  .object({
    name: z.string().min(1, "must have required property 'name'").max(500),
    campaign_schedule: z.object({
      schedules: z
        .array(
          z
            .object({
              timezone: z
                .string()
                .refine((t) => (INSTANTLY_TIME_ZONES as readonly string[]).includes(t), "must be equal to one of the allowed values"),
            })
            .loose(),
        )
        .min(1, "must NOT have fewer than 1 items"),
    }),
  })
  .loose();
const ZAddLeads = z
  .object({
    campaign_id: z.string().max(200).optional(),
    list_id: z.string().max(200).optional(),
    leads: z
      .array(z.object({ email: z.unknown() }).loose())
      .min(1)
      .max(1000),
    skip_if_in_workspace: z.boolean().optional(),
    skip_if_in_campaign: z.boolean().optional(),
    skip_if_in_list: z.boolean().optional(),
  })
  .loose();

/** Items after the cursor (by `key`, ascending), one page of them, and the cursor of the last. */
function pageOf<T extends Item>(items: T[], key: (item: T) => string, startingAfter: string | undefined, limit: number) {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = startingAfter === undefined ? sorted : sorted.filter((i) => key(i) > startingAfter);
  const slice = rest.slice(0, limit);
  return { items: slice, next_starting_after: slice.length ? key(slice.at(-1)!) : null };
}

type SandboxWebhook = Item & { id: string; status: number };
type SandboxCampaign = Item & { id: string; name: string; status: number };
type SandboxLead = Item & { id: string; email: string; campaign: string | null; list_id: string | null };
type SandboxPushes = { campaigns: SandboxCampaign[]; leads: SandboxLead[] };

/** The sandbox of the workspace a (verified) Instantly sandbox key names. */
const scopeOf = (apiKey: string): SandboxScope => ({ workspace: apiKey.split("_")[2] ?? "", vendor: "instantly" });

/** The sandbox's webhooks of a workspace, in the order they were registered. */
export function instantlySandboxWebhooks(apiKey: string): Promise<SandboxWebhook[]> {
  return listSandboxState<SandboxWebhook>(scopeOf(apiKey), "webhook");
}

/** Instantly disables a webhook after failed deliveries: the sandbox's way to do the same (the sync re-enables it). */
export async function disableInstantlySandboxWebhook(apiKey: string, id: string, now = new Date()): Promise<void> {
  await patchSandboxState(scopeOf(apiKey), "webhook", id, { status: -1, timestamp_error: now.toISOString() });
}

/** What pushes created in the sandbox for a workspace, in the order they were created. */
export async function instantlySandboxPushes(apiKey: string): Promise<SandboxPushes> {
  const scope = scopeOf(apiKey);
  const [campaigns, leads] = await Promise.all([
    listSandboxState<SandboxCampaign>(scope, "campaign"),
    listSandboxState<SandboxLead>(scope, "lead"),
  ]);
  return { campaigns, leads };
}

/** The workspace's own sending identities (not archived), as sandbox sending accounts. */
async function workspaceSenders(apiKey: string, now: Date): Promise<Item[]> {
  const hex = apiKey.split("_")[2] ?? "";
  if (!/^[0-9a-f]{32}$/.test(hex)) return [];
  const workspaceId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const rows = await serviceDb().execute<{ email: string }>(sql`
    select distinct lower(from_email) as email from public.sending_identities
    where workspace_id = ${workspaceId}::uuid and archived_at is null`);
  return rows.map((r) => ({
    email: r.email,
    status: 1,
    warmup_status: 1,
    daily_limit: 40,
    timestamp_created: now.toISOString(),
    timestamp_updated: now.toISOString(),
    sample_data: true,
  }));
}

/**
 * A lead id shaped like Instantly's UUIDv7: time first, so a lead added now sorts after every
 * sample lead and every lead added before, and the sync's stored cursor still finds it.
 */
function timeOrderedId(now: Date): string {
  const time = now.getTime().toString(16).padStart(12, "0");
  const rest = randomUUID().replace(/-/g, "");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rest.slice(0, 3)}-8${rest.slice(3, 6)}-${rest.slice(6, 18)}`;
}

/**
 * Leads added by a push (`campaign_id` xor `list_id`), skipping as the flags ask, answered as
 * Instantly answers. Under the workspace's lock: a batch sent twice at once adds nobody twice.
 */
async function addLeads(scope: SandboxScope, body: z.infer<typeof ZAddLeads>, now: Date): Promise<Response> {
  const { campaign_id: campaignId, list_id: listId } = body;
  if ((campaignId === undefined) === (listId === undefined))
    return fastifyError(400, "Bad Request", "Exactly one of campaign_id or list_id is required");
  return withSandboxLock(scope, "lead", async (tx) => {
    if (campaignId !== undefined && !(await findSandboxState(scope, "campaign", campaignId, tx)))
      return fastifyError(404, "Not Found", "Campaign not found");
    const emailOf = (lead: { email: unknown }) => (typeof lead.email === "string" ? lead.email.trim().toLowerCase() : "");
    const known = await listSandboxStateWhere<SandboxLead>(scope, "lead", "email", [...new Set(body.leads.map(emailOf))], tx);
    const created: { index: number; id: string; email: string }[] = [];
    const added: SandboxLead[] = [];
    let skipped = 0;
    let invalid = 0;
    for (const [index, lead] of body.leads.entries()) {
      const email = emailOf(lead);
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
        invalid++;
        continue;
      }
      const existing = [...known, ...added].filter((l) => l.email === email);
      const skip =
        (body.skip_if_in_workspace === true && existing.length > 0) ||
        (body.skip_if_in_campaign === true && existing.some((l) => l.campaign)) ||
        (body.skip_if_in_list === true && existing.some((l) => l.list_id));
      if (skip) {
        skipped++;
        continue;
      }
      const id = timeOrderedId(now);
      added.push({
        ...lead,
        id,
        email,
        campaign: campaignId ?? null,
        list_id: listId ?? null,
        status: 1,
        timestamp_created: now.toISOString(),
        timestamp_updated: now.toISOString(),
        sample_data: true,
      });
      created.push({ index, id, email });
    }
    if (
      !(await addSandboxState(
        scope,
        "lead",
        added.map((payload) => ({ id: payload.id, payload })),
        tx,
      ))
    )
      return fastifyError(401, "Unauthorized", "Invalid API key");
    return json(200, {
      status: "success",
      total_sent: body.leads.length,
      leads_uploaded: created.length,
      in_blocklist: 0,
      blocklist_used: null,
      duplicated_leads: 0,
      skipped_count: skipped,
      invalid_email_count: invalid,
      incomplete_count: 0,
      duplicate_email_count: 0,
      remaining_in_plan: 100_000,
      created_leads: created,
    });
  });
}

export async function handleInstantlySandboxRequest(request: Request, pathname: string, now = new Date()): Promise<Response> {
  const e = env();
  if (!integrationsSandboxEnabled(e)) return new Response("Not Found", { status: 404 });
  const authorization = request.headers.get("authorization");
  if (!authorization) return fastifyError(401, "Unauthorized", "Missing Authorization header");
  const key = /^Bearer (.+)$/.exec(authorization)?.[1] ?? null;
  if (!isSandboxKey(key, "instantly", e.ENCRYPTION_KEY)) return fastifyError(401, "Unauthorized", "Invalid API key");

  const path = pathname.replace(/^\/api\/v2(?=\/)/, "");
  const url = new URL(request.url);
  const query = Object.fromEntries(url.searchParams);
  let body: Item = {};
  if (request.method !== "GET") {
    const text = await readBodyCapped(request, MAX_BODY);
    if (text === null) return fastifyError(413, "Payload Too Large", "Request body is too large");
    try {
      body = text ? (JSON.parse(text) as Item) : {};
    } catch {
      return fastifyError(400, "Bad Request", "Body is not valid JSON");
    }
  }
  const route = `${request.method} ${path}`;
  const limit = ZLimit.safeParse(query.limit ?? undefined);
  if (!limit.success) return fastifyError(400, "Bad Request", "querystring/limit must be between 1 and 100");

  const scope = scopeOf(key!);
  if (route === "GET /campaigns") {
    const campaigns = [...sampleCampaigns(now), ...(await listSandboxState<SandboxCampaign>(scope, "campaign"))].filter(
      (c) =>
        (!query.search || c.name.toLowerCase().includes(query.search.toLowerCase())) &&
        (query.status === undefined || String(c.status) === query.status),
    );
    return json(
      200,
      pageOf(campaigns, (c) => c.id, query.starting_after, limit.data),
    );
  }
  const campaignMatch = /^\/campaigns\/([^/]+)$/.exec(path);
  if (request.method === "GET" && campaignMatch && campaignMatch[1] !== "analytics") {
    const campaign =
      sampleCampaigns(now).find((c) => c.id === campaignMatch[1]) ?? (await findSandboxState(scope, "campaign", campaignMatch[1]!));
    return campaign ? json(200, campaign) : fastifyError(404, "Not Found", "Campaign not found");
  }
  if (route === "POST /campaigns") {
    const parsed = ZCreateCampaign.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return fastifyError(400, "Bad Request", `body${issue.path.length ? `/${issue.path.join("/")}` : ""} ${issue.message}`);
    }
    const campaign: SandboxCampaign = {
      ...parsed.data,
      id: randomUUID(),
      name: parsed.data.name,
      status: 0,
      timestamp_created: now.toISOString(),
      timestamp_updated: now.toISOString(),
      sample_data: true,
    };
    if (!(await addSandboxState(scope, "campaign", [{ id: campaign.id, payload: campaign }])))
      return fastifyError(401, "Unauthorized", "Invalid API key");
    return json(200, campaign);
  }
  const actionMatch = /^\/campaigns\/([^/]+)\/(activate|pause)$/.exec(path);
  if (request.method === "POST" && actionMatch) {
    const campaign = await patchSandboxState(scope, "campaign", actionMatch[1]!, {
      status: actionMatch[2] === "activate" ? 1 : 2,
      timestamp_updated: now.toISOString(),
    });
    return campaign ? json(200, campaign) : fastifyError(404, "Not Found", "Campaign not found");
  }
  if (route === "POST /leads/add") {
    const parsed = ZAddLeads.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return fastifyError(
        400,
        "Bad Request",
        issue.path[0] === "leads" && issue.path.length === 1
          ? "body/leads must NOT have more than 1000 items and NOT have fewer than 1 items"
          : `body/${issue.path.join("/")} is not valid`,
      );
    }
    return addLeads(scope, parsed.data, now);
  }
  if (route === "GET /accounts") {
    const own = await workspaceSenders(key!, now);
    const senders = [...sampleSenders(now), ...own.filter((a) => !sampleSenders(now).some((s) => s.email === a.email))];
    return json(
      200,
      pageOf(senders, (a) => String(a.email), query.starting_after, limit.data),
    );
  }
  if (route === "GET /campaigns/analytics/daily") {
    const parsed = ZDaily.safeParse(query);
    if (!parsed.success) return json(400, { message: parsed.error.issues[0]!.message });
    const { campaign_id, start_date, end_date } = parsed.data;
    if (start_date && end_date && start_date > end_date) return json(400, { message: "Start Date must be earlier than End Date" });
    return json(
      200,
      sampleDailyAnalytics(campaign_id, now).filter((d) => (!start_date || d.date >= start_date) && (!end_date || d.date <= end_date)),
    );
  }
  if (route === "POST /leads/list") {
    const parsed = ZLeadList.safeParse(body);
    if (!parsed.success) return fastifyError(400, "Bad Request", `body/${parsed.error.issues[0]!.path.join(".")} is not valid`);
    const { filter, campaign, contacts, starting_after, limit: bodyLimit } = parsed.data;
    const status = filter === "FILTER_VAL_BOUNCED" ? -1 : filter === "FILTER_VAL_UNSUBSCRIBED" ? -2 : undefined;
    const emails = contacts ? new Set(contacts.map((c) => c.trim().toLowerCase())) : null;
    // The sample leads, and those pushes added: a pushed campaign's leads are listed back.
    const leads = [...sampleLeads(now), ...(await listSandboxState<SandboxLead>(scope, "lead"))].filter(
      (l) =>
        (status === undefined || l.status === status) &&
        (!campaign || l.campaign === campaign) &&
        (!emails || emails.has(String(l.email).toLowerCase())),
    );
    return json(
      200,
      pageOf(leads, (l) => l.id, starting_after, bodyLimit),
    );
  }
  if (route === "GET /emails") {
    if (query.email_type && query.email_type !== "received") return json(200, { items: [], next_starting_after: null });
    const emails = sampleReceivedEmails(now).filter((m) => !query.campaign_id || m.campaign_id === query.campaign_id);
    return json(
      200,
      pageOf(emails, (m) => m.timestamp_created, query.starting_after, limit.data),
    );
  }

  if (route === "GET /webhooks") {
    return json(
      200,
      pageOf(await listSandboxState<SandboxWebhook>(scope, "webhook"), (h) => h.id, query.starting_after, limit.data),
    );
  }
  if (route === "POST /webhooks") {
    const parsed = ZWebhookCreate.safeParse(body);
    if (!parsed.success)
      return fastifyError(400, "Bad Request", `body/${parsed.error.issues[0]!.path.join(".")} ${parsed.error.issues[0]!.message}`);
    const created: SandboxWebhook = {
      id: timeOrderedId(now),
      name: parsed.data.name ?? null,
      target_hook_url: parsed.data.target_hook_url,
      event_type: parsed.data.event_type ?? null,
      campaign: parsed.data.campaign ?? null,
      headers: parsed.data.headers ?? {},
      status: 1,
      timestamp_created: now.toISOString(),
      timestamp_error: null,
      sample_data: true,
    };
    if (!(await addSandboxState(scope, "webhook", [{ id: created.id, payload: created }])))
      return fastifyError(401, "Unauthorized", "Invalid API key");
    return json(200, created);
  }
  const hookMatch = /^\/webhooks\/([^/]+)(\/resume)?$/.exec(path);
  if (hookMatch) {
    const id = hookMatch[1]!;
    const notFound = () => fastifyError(404, "Not Found", "Webhook not found");
    if (request.method === "GET" && !hookMatch[2]) {
      const hook = await findSandboxState(scope, "webhook", id);
      return hook ? json(200, hook) : notFound();
    }
    if (request.method === "POST" && hookMatch[2]) {
      const hook = await patchSandboxState(scope, "webhook", id, { status: 1, timestamp_error: null });
      return hook ? json(200, hook) : notFound();
    }
    if (request.method === "PATCH" && !hookMatch[2]) {
      const parsed = ZWebhookCreate.partial().safeParse(body);
      if (!parsed.success) return fastifyError(400, "Bad Request", `body/${parsed.error.issues[0]!.path.join(".")} is not valid`);
      const { id: _id, ...changes } = parsed.data;
      const hook = await patchSandboxState(scope, "webhook", id, changes);
      return hook ? json(200, hook) : notFound();
    }
    if (request.method === "DELETE" && !hookMatch[2]) {
      const hook = await deleteSandboxState(scope, "webhook", id);
      return hook ? json(200, hook) : notFound();
    }
    const hook = await findSandboxState(scope, "webhook", id);
    if (!hook) return notFound();
  }
  return fastifyError(404, "Not Found", `Route ${request.method}:${url.pathname} not found`);
}
