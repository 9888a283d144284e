import { describe, expect, it } from "vitest";
import * as unknownPath from "@/app/api/v1/[[...path]]/route";
import * as leads from "@/app/api/v1/leads/route";
import * as suppression from "@/app/api/v1/suppressions/[id]/route";
import { ZApiError } from "./errors";

/**
 * A method or an address the API has no operation for is answered in the API's error shape
 * (OpenAPI's Error), not with Next's empty 405 or the app's HTML 404: a program reading JSON
 * learns what it did wrong. These answers are not operations, so the document lists none.
 */
const request = (method: string, path: string) => new Request(`http://127.0.0.1:3999${path}`, { method });

describe("what the API has no operation for", () => {
  it("a method an address does not take: 405 naming the methods it does, in an Allow header too", async () => {
    const response = await leads.PUT(request("PUT", "/api/v1/leads"));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    const body = ZApiError.parse(await response.json());
    expect(body.error).toEqual({ code: "method_not_allowed", message: "PUT is not an operation of this address; it allows GET, POST." });
    const removal = await suppression.GET(request("GET", "/api/v1/suppressions/x"));
    expect(removal.status).toBe(405);
    expect(removal.headers.get("allow")).toBe("DELETE, OPTIONS");
  });

  it("OPTIONS lists the methods an address takes, not every method its route file exports", async () => {
    const response = await leads.OPTIONS(request("OPTIONS", "/api/v1/leads"));
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("an address no operation answers: 404 in the error shape, pointing at the document", async () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
      const response = await unknownPath[method]();
      expect(response.status).toBe(404);
      expect(ZApiError.parse(await response.json()).error).toMatchObject({
        code: "not_found",
        message: expect.stringContaining("/api/v1/openapi.json"),
      });
    }
  });
});
