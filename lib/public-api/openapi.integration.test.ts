import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { buildOpenApiDocument } from "./openapi";
import { API_ROUTES } from "./routes";

describe("the OpenAPI document", () => {
  it("is served at /api/v1/openapi.json and is valid OpenAPI 3.1", async () => {
    const response = GET();
    expect(response.status).toBe(200);
    const served = (await response.json()) as { openapi: string };
    expect(served.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(served) as never);
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents every operation the API routes serve, with its errors", () => {
    const document = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const route of API_ROUTES) {
      const operation = document.paths[route.doc.path]?.[route.doc.method];
      expect(operation, route.doc.operationId).toBeDefined();
      expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining([String(route.doc.status), "401", "403", "422", "429"]));
    }
  });

  it("refuses, like the handlers, a lead body with a field nobody knows", () => {
    const document = buildOpenApiDocument() as unknown as {
      components: { schemas: Record<string, { additionalProperties?: unknown }> };
    };
    expect(document.components.schemas.LeadCreate?.additionalProperties).toBe(false);
  });
});
