import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { GET, POST } from "./route";

describe("/api/inngest", () => {
  it("answers 404 while the local executor runs the functions", async () => {
    for (const call of [GET, POST]) {
      const response = await call(
        new NextRequest("http://localhost:3000/api/inngest", { method: call === GET ? "GET" : "POST" }),
        undefined,
      );
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Inngest is not configured: the local job executor runs these functions." });
    }
  });
});
