import "server-only";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { ZApiError } from "./errors";
import type { AnyApiRoute } from "./define-route";
import { API_MAX_BODY_BYTES, API_UPLOAD_MAX_BYTES } from "./read-body";
import { API_ROUTES } from "./routes";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the handlers parse and
 * answer with (zod-openapi: requests as their input type, answers as their output type), so the
 * document cannot drift from what the API does. Served at /api/v1/openapi.json.
 */
export function buildOpenApiDocument(routes: AnyApiRoute[] = API_ROUTES) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const { doc } = route;
    const operation: ZodOpenApiOperationObject = {
      operationId: doc.operationId,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      tags: [doc.tag],
      ...(route.params || route.query
        ? { requestParams: { ...(route.params ? { path: route.params } : {}), ...(route.query ? { query: route.query } : {}) } }
        : {}),
      ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: route.body } } } } : {}),
      ...(route.upload ? { requestBody: { required: true, content: { "multipart/form-data": { schema: route.upload } } } } : {}),
      responses: responsesOf(route),
    };
    (paths[doc.path] ??= {})[doc.method] = operation;
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Lead Intelligence Panel API",
      version: "1.0.0",
      description:
        "The workspace's leads for programs: the same filters, rules and permissions as the app. Authenticate with an API key from Settings → API in the Authorization header (`Authorization: Bearer lip_…`); a key in the URL is refused. Every error has the shape `{ error: { code, message, fields? } }`.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key (lip_…) from Settings → API." } },
    },
    paths,
  });
}

const error = (description: string) => ({ description, content: { "application/json": { schema: ZApiError } } });

function responsesOf(route: AnyApiRoute): ZodOpenApiResponsesObject {
  const { doc } = route;
  const responses: ZodOpenApiResponsesObject = {
    [String(doc.status)]:
      doc.status === 204 || !doc.response
        ? { description: "Done." }
        : { description: "Success.", content: { "application/json": { schema: doc.response } } },
    "400": error("A key in the query string (`api_key_in_query`), or a body that is not JSON (`invalid_json`)."),
    "401": error("No key, or one that is unknown, revoked, expired or whose creator left the workspace."),
    "403": error(
      route.access === "write" ? "A read key (`insufficient_scope`), or a role that may not do this." : "A role that may not do this.",
    ),
    "422": error("Invalid input: `fields` names each field at fault."),
    "429": {
      ...error("Too many requests with this key: retry after `Retry-After` seconds."),
      headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } },
    },
  };
  if (route.params) responses["404"] = error("Not found in this key's workspace.");
  if (route.body) {
    responses["409"] = error("A conflict: a duplicate, or a change made by someone else since `version`.");
    responses["413"] = error(`A body over ${API_MAX_BODY_BYTES / 1024 / 1024} MB.`);
    responses["415"] = error("A body not sent as application/json.");
  } else if (route.upload) {
    responses["409"] = error("A conflict with the import's state.");
    responses["413"] = error(`A file over ${API_UPLOAD_MAX_BYTES / 1024 / 1024} MB, or with more rows than an import takes.`);
    responses["415"] = error("A body not sent as multipart/form-data.");
  } else if (route.access === "write") {
    responses["409"] = error("A conflict with the resource's state.");
  }
  return responses;
}
