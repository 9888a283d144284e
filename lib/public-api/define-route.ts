import "server-only";
import { z } from "zod";
import { serviceDb, withUserTx, type Database } from "@/db";
import { authenticateApiKey, type ApiKeyPrincipal } from "@/lib/api-keys/authenticate-api-key";
import { recordAudit } from "@/lib/audit/record-audit";
import { can, type Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { API_REQUESTS_PER_KEY } from "@/lib/rate-limit/api-keys";
import { RateLimitedError, secondsFromMs } from "@/lib/rate-limit/rate-limited";
import { consumeRequest, type RequestLimit } from "@/lib/rate-limit/request-limit";
import { unsavableText } from "@/lib/actions/unsavable-text";
import { apiKeyStillActive } from "@/lib/api-keys/key-still-active";
import { containsApiKey } from "@/lib/api-keys/secret";
import { API_KEY_REFUSALS, ApiError, errorResponse, fromAppError, fromUnsavableText, fromZodError, keyWithdrawn } from "./errors";
import { readJsonBody } from "./read-body";

/**
 * One REST API operation (app/api/v1): the key, the limit, the scope and the role are checked
 * here, the input parsed with the operation's zod schemas (the same ones the OpenAPI document
 * is generated from, lib/public-api/openapi.ts), and the handler, which only calls a service,
 * runs in one transaction under RLS as the key (its creator capped to its scope).
 */
export type ApiContext = { principal: ApiKeyPrincipal; tx: Database; request: Request };

/**
 * The context of an operation whose service takes pooled connections of its own (the bulk
 * upsert's COPY into staging, an upload streamed into its rows): no transaction is open while it
 * runs, and `transaction` opens one under RLS as the key when the handler needs it.
 *
 * Why: a transaction held by the wrapper while the service waited for a second connection from
 * the same pool deadlocked the whole process once as many such calls ran at once as the pool has
 * connections (DB_POOL_SIZE, 10 by default): each held one and waited for another, for good, and
 * every page, sign-in and webhook of every workspace waited behind them.
 */
export type ApiOwnTransactionsContext = {
  principal: ApiKeyPrincipal;
  request: Request;
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
  /**
   * The key asked about again, for a handler that has just read a body of its own (an upload):
   * refused as at the start (401, or 403 for a creator demoted below the operation), else the
   * creator as they are now, whom `transaction` then acts as.
   */
  principalNow(): Promise<ApiKeyPrincipal>;
};

/** What the OpenAPI document says of the operation (lib/public-api/openapi.ts). */
export type ApiOperationDoc = {
  method: "get" | "post" | "patch" | "delete";
  /** OpenAPI form, under /api/v1: "/leads/{id}". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The success status and its body's schema (none for 204). */
  status: 200 | 201 | 202 | 204;
  response?: z.ZodType;
};

type ApiHandlerResult<T> = Promise<{ status?: number; body: T }>;
type ApiInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
};

export type ApiRouteDefinition<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, T> = ApiRouteCommon<P, Q, B> &
  (
    | { ownTransactions?: false; handler: (context: ApiContext, input: ApiInput<P, Q, B>) => ApiHandlerResult<T> }
    | {
        /** The handler's service takes connections of its own (ApiOwnTransactionsContext says why). */
        ownTransactions: true;
        handler: (context: ApiOwnTransactionsContext, input: ApiInput<P, Q, B>) => ApiHandlerResult<T>;
      }
  );

type ApiRouteCommon<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  doc: ApiOperationDoc;
  /** A write needs a read_write key; the permission is then checked on the key's capped role. */
  access: "read" | "write";
  permission: Permission;
  /** What the 403 says when the key's role lacks `permission` (a generic sentence otherwise). */
  forbidden?: string;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * A file upload: the handler reads the multipart body itself (readUploadForm, read-body.ts),
   * and the document describes it with this schema as multipart/form-data.
   */
  upload?: z.ZodType;
};

export type ApiRouteOptions = { limit?: RequestLimit };

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** Query parameters that look like someone tried to pass a key in the URL, where logs and histories keep it. */
const KEY_PARAMS = new Set(["api_key", "apikey", "key", "token", "access_token", "authorization"]);

/** Any operation, whatever its schemas (each checks its own with `satisfies ApiRouteDefinition<…>`). */
export type AnyApiRoute = ApiRouteDefinition<any, any, any, unknown>;

export function defineApiRoute(definition: AnyApiRoute, options: ApiRouteOptions = {}) {
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const url = new URL(request.url);
      refuseKeyInQuery(url);
      let principal = await authenticate(request);
      // The request is counted against the key's limit while the work's transaction begins (and,
      // for a read, while it runs): one round trip less on every request. Nothing is written
      // before the limit allows it, and an over-limit request is refused (429) before any other
      // refusal. A key this process has seen refused is refused at once until its wait is over,
      // so a key over its limit cannot keep running reads whose answers it never gets.
      refuseWhileLimited(principal.keyId);
      const counted = consumeRequest(options.limit ?? API_REQUESTS_PER_KEY, principal.keyId).catch((error: unknown) => {
        if (error instanceof RateLimitedError) noteLimited(principal.keyId, error);
        throw error;
      });
      counted.catch(() => undefined);
      const refuse = async (error: unknown): Promise<never> => {
        await counted;
        throw error;
      };
      if (definition.access === "write" && principal.scope !== "read_write") {
        await refuse(new ApiError(403, "insufficient_scope", "This API key may only read. Make a read and write key for changes."));
      }
      if (!can(principal.role, definition.permission)) {
        await refuse(new ApiError(403, "forbidden", definition.forbidden ?? "This API key's role does not allow this."));
      }
      let input: { params: unknown; query: unknown; body: unknown };
      try {
        input = {
          params: parse(definition.params, context ? await context.params : {}, "path", 404),
          query: parse(definition.query, Object.fromEntries(url.searchParams), "query"),
          body: definition.body ? parse(definition.body, await readJsonBody(request), "body") : undefined,
        };
      } catch (error) {
        return await refuse(error);
      }
      // The body may have taken minutes to arrive: the key is asked about again before it is
      // used, and acts as its creator is now (a member still, not banned, at their role now).
      if (definition.body) principal = await reauthenticate(request, principal, definition).catch(refuse);
      const result = definition.ownTransactions
        ? await runOwnTransactions(definition, principal, request, input, counted)
        : await withUserTx(principal.claims, async (tx) => {
            if (definition.access === "write") {
              await counted;
              // Before the write touches anything: refuseWithdrawnKey says why.
              await refuseWithdrawnKey(tx, principal);
            }
            const [done, allowed] = await Promise.allSettled([
              definition.handler({ principal, tx, request }, input as Parameters<typeof definition.handler>[1]),
              counted,
            ]);
            if (allowed.status === "rejected") throw allowed.reason;
            if (done.status === "rejected") throw done.reason;
            // Every change made with a key names the key in the audit log, in the change's own
            // transaction. Reads are there too, once a minute per key and operation (from each
            // server process): which key read what, and when, without a row per page of a sync.
            if (definition.access === "write") {
              await recordKeyUse(tx, principal, definition.doc.operationId, input.params);
            } else if (readAuditDue(principal.keyId, definition.doc.operationId)) {
              await recordKeyUse(tx, principal, definition.doc.operationId, input.params);
            }
            return done.value;
          });
      if (result.status === 204) return new Response(null, { status: 204 });
      return Response.json(result.body, { status: result.status ?? 200, headers: { "cache-control": "no-store" } });
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      if (error instanceof AppError) return errorResponse(fromAppError(error));
      if (error instanceof RateLimitedError) {
        return errorResponse(
          new ApiError(
            429,
            "rate_limited",
            `Too many requests with this API key: try again in ${error.retryAfterSeconds} seconds.`,
            undefined,
            {
              "retry-after": String(error.retryAfterSeconds),
            },
          ),
        );
      }
      console.error(`[api ${request.method} ${new URL(request.url).pathname}]`, error);
      return errorResponse(
        new ApiError(500, "internal", "Something went wrong on our side. Try again; if it keeps happening, tell your admin."),
      );
    }
  };
}

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];
type RouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;
type RouteHandlers = Record<HttpMethod | "OPTIONS", RouteHandler>;

/**
 * A path's operations by method, for its route file to export (`export const { GET, POST, PUT,
 * PATCH, DELETE, OPTIONS } = apiRoutes({ … })`). Every other method answers 405 in the API's error
 * shape, and OPTIONS 204, both with the methods the path allows (Allow): Next's own 405 for a
 * method a route file does not export has no body, and its OPTIONS lists what the file exports.
 */
export function apiRoutes(routes: Partial<Record<HttpMethod, AnyApiRoute>>): RouteHandlers {
  const operations = HTTP_METHODS.filter((method) => routes[method]);
  // Next answers HEAD with GET's handler.
  const allow = [...operations, ...(routes.GET ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const notAllowed: RouteHandler = async (request) =>
    errorResponse(
      new ApiError(
        405,
        "method_not_allowed",
        `${request.method} is not an operation of this address; it allows ${operations.join(", ")}.`,
        undefined,
        {
          allow,
        },
      ),
    );
  const handlers = Object.fromEntries(
    HTTP_METHODS.map((method) => [method, routes[method] ? defineApiRoute(routes[method]) : notAllowed]),
  ) as Record<HttpMethod, RouteHandler>;
  return { ...handlers, OPTIONS: async () => new Response(null, { status: 204, headers: { allow } }) };
}

/**
 * An operation with `ownTransactions`: the limit is awaited before anything runs, and the handler
 * runs holding no connection. A change names the key in the audit log in the first transaction
 * the handler opens with `transaction` (the import's start), or else in one of its own once the
 * handler is done (the bulk upsert, whose import row also names the key's creator).
 */
async function runOwnTransactions<T>(
  definition: Extract<AnyApiRoute, { ownTransactions: true }>,
  arrived: ApiKeyPrincipal,
  request: Request,
  input: ApiInput<z.ZodType, z.ZodType, z.ZodType>,
  counted: Promise<unknown>,
): ApiHandlerResult<T> {
  await counted;
  let principal = arrived;
  const principalNow = async () => (principal = await reauthenticate(request, principal, definition));
  const write = definition.access === "write";
  let recorded = false;
  const record = async (tx: Database) => {
    if (!write || recorded) return;
    await recordKeyUse(tx, principal, definition.doc.operationId, input.params);
    recorded = true;
  };
  const transaction = <R>(work: (tx: Database) => Promise<R>) =>
    withUserTx(principal.claims, async (tx) => {
      if (write) await refuseWithdrawnKey(tx, principal);
      const done = await work(tx);
      await record(tx);
      return done;
    });
  const result = (await definition.handler({ principal, request, transaction, principalNow }, input)) as { status?: number; body: T };
  if (write && !recorded) await withUserTx(principal.claims, record);
  return result;
}

/**
 * Keys the limiter refused, with when their wait ends (epoch ms), in this process: the first
 * over-limit read of a wait still runs beside its count (above), the next ones do not. Each
 * instance of the app learns it for itself; the limit itself is the shared counter's.
 */
const limitedUntil = new Map<string, { until: number; error: RateLimitedError }>();
const LIMITED_KEYS_KEPT = 10_000;

function noteLimited(keyId: string, error: RateLimitedError): void {
  if (limitedUntil.size >= LIMITED_KEYS_KEPT) {
    const now = Date.now();
    for (const [id, entry] of limitedUntil) if (entry.until <= now) limitedUntil.delete(id);
    if (limitedUntil.size >= LIMITED_KEYS_KEPT) limitedUntil.clear();
  }
  limitedUntil.set(keyId, { until: Date.now() + error.retryAfterSeconds * 1000, error });
}

function refuseWhileLimited(keyId: string): void {
  const entry = limitedUntil.get(keyId);
  if (!entry) return;
  const left = entry.until - Date.now();
  if (left <= 0) {
    limitedUntil.delete(keyId);
    return;
  }
  throw new RateLimitedError(entry.error.limit, secondsFromMs(left), entry.error.refusal);
}

/**
 * Whether the key still works, asked once by a write, first thing in its transaction
 * (key-still-active.ts). The ask locks the creator's account and then the key until the commit,
 * so nothing it reads can change before then (and now() is the transaction's start): a second
 * ask before the commit would answer the same. Asked only before the commit, as it once was, a
 * write that had updated a lead its creator made deadlocked with a hard delete of the account,
 * which locks the account and then every row naming it.
 */
async function refuseWithdrawnKey(tx: Database, principal: ApiKeyPrincipal): Promise<void> {
  if (!(await apiKeyStillActive(tx))) throw await keyWithdrawn(principal.keyId);
}

/** The key asked about again (its body has arrived): refused as at the start, or its creator as now, still allowed the operation. */
async function reauthenticate(request: Request, before: ApiKeyPrincipal, definition: AnyApiRoute): Promise<ApiKeyPrincipal> {
  const now = await authenticate(request);
  if (now.role !== before.role && !can(now.role, definition.permission)) {
    throw new ApiError(403, "forbidden", definition.forbidden ?? "This API key's role does not allow this.");
  }
  return now;
}

/** When this process last wrote a read's audit entry, by key and operation. */
const readsAudited = new Map<string, number>();
export const READ_AUDIT_EVERY_MS = 60_000;

function readAuditDue(keyId: string, operationId: string): boolean {
  const key = `${keyId} ${operationId}`;
  const now = Date.now();
  const last = readsAudited.get(key);
  if (last !== undefined && now - last < READ_AUDIT_EVERY_MS) return false;
  if (readsAudited.size >= 10_000) readsAudited.clear();
  readsAudited.set(key, now);
  return true;
}

async function recordKeyUse(tx: Database, principal: ApiKeyPrincipal, operationId: string, params: unknown): Promise<void> {
  const id = (params as { id?: unknown } | undefined)?.id;
  await recordAudit(tx, {
    workspaceId: principal.workspaceId,
    actorId: principal.userId,
    action: "api_key.used",
    targetType: "api_key",
    targetId: principal.keyId,
    metadata: { operation: operationId, ...(typeof id === "string" ? { resourceId: id } : {}) },
  });
}

function refuseKeyInQuery(url: URL): void {
  for (const [name, value] of url.searchParams) {
    // A value shaped as a whole key, not any value starting "lip_": a tag or a search for "lip_balm" is fine.
    if (KEY_PARAMS.has(name.toLowerCase()) || containsApiKey(value)) {
      throw new ApiError(
        400,
        "api_key_in_query",
        "Send the API key in the Authorization header (Authorization: Bearer lip_…), never in the URL. A key that was sent in a URL may be in logs: revoke it and make a new one.",
      );
    }
  }
}

async function authenticate(request: Request): Promise<ApiKeyPrincipal> {
  const header = request.headers.get("authorization");
  if (!header) {
    throw new ApiError(401, "missing_api_key", "Send an API key in the Authorization header: Authorization: Bearer lip_…", undefined, {
      "www-authenticate": 'Bearer realm="api"',
    });
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const result = match ? await authenticateApiKey(serviceDb(), match[1]!) : "invalid_api_key";
  if (typeof result === "string") {
    throw new ApiError(401, result, API_KEY_REFUSALS[result], undefined, {
      "www-authenticate": 'Bearer realm="api", error="invalid_token"',
    });
  }
  return result;
}

function parse<S extends z.ZodType | undefined>(schema: S, input: unknown, root: string, invalidStatus = 422) {
  if (!schema) return undefined;
  const unsavable = unsavableText(input);
  if (unsavable.length > 0 && invalidStatus !== 404) throw fromUnsavableText(unsavable, root);
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  if (invalidStatus === 404) throw new ApiError(404, "not_found", "Nothing was found at that address.");
  throw fromZodError(parsed.error, root);
}
