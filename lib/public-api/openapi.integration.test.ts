import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { buildOpenApiDocument } from "./openapi";
import { apiReference } from "./reference";
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

describe("the API reference page's operations", () => {
  it("say a parameter's limits as a sentence of their own, and not twice", () => {
    const list = apiReference().operations.find((op) => op.id === "listLeads")!;
    const param = (name: string) => list.parameters.find((p) => p.name === name)?.description;
    expect(param("q")).toBe("Search in names, email, title and company (every word must match). At most 200 characters.");
    expect(param("scoreMin")).toBe("Lowest score (0–100).");
    expect(param("sizeMin")).toBe("The company's smallest employee count. From 0 to 10,000,000.");
  });
});
