import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./passwords";

describe("password hashing", () => {
  it("writes GoTrue's $2a$ bcrypt hashes and reads $2a$ and $2b$ alike", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("wrong horse battery", hash)).toBe(false);
    // `$2b$`, as bcryptjs wrote the rows from before this change.
    const older = "$2b$10$FjNGx.OZAW1cQVPA4dDg1OMqU8Rie3m67e0d/wjZqzftGwJBB5IXm";
    expect(await verifyPassword("correct horse battery", older)).toBe(true);
    expect(await verifyPassword("anything", null)).toBe(false);
  });

  it("leaves the event loop idle while several hashes and comparisons run", async () => {
    const hash = await hashPassword("warm-up password");
    const before = performance.eventLoopUtilization();
    await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => hashPassword(`password number ${i}`)),
      ...Array.from({ length: 4 }, () => verifyPassword("warm-up password", hash)),
    ]);
    // The share of that time the loop spent running code rather than waiting: a bcrypt on the
    // event loop keeps it near 1; on the thread pool it stays near 0, however busy the machine.
    const { utilization } = performance.eventLoopUtilization(before);
    expect(utilization).toBeLessThan(0.3);
  });
});
