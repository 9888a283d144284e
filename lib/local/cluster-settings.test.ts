import { describe, expect, it } from "vitest";
import { durableClusterSettings, withManagedSettings } from "./cluster-settings";

const GB = 2 ** 30;

describe("durableClusterSettings", () => {
  it("gives shared buffers a sixteenth of the memory, between 128 MB and 1 GB, and spreads checkpoints out", () => {
    expect(durableClusterSettings(24 * GB)).toEqual({
      shared_buffers: "1024MB",
      max_wal_size: "4GB",
      min_wal_size: "256MB",
      checkpoint_timeout: "15min",
    });
    expect(durableClusterSettings(8 * GB).shared_buffers).toBe("512MB");
    expect(durableClusterSettings(1 * GB).shared_buffers).toBe("128MB");
  });
});

describe("withManagedSettings", () => {
  const conf = "# PostgreSQL configuration\nmax_connections = 100\n";

  it("appends the block once and replaces it on the next start, keeping the rest of the file", () => {
    const first = withManagedSettings(conf, { shared_buffers: "512MB" });
    expect(first.startsWith(conf)).toBe(true);
    expect(first).toContain("\nshared_buffers = '512MB'\n");
    const second = withManagedSettings(first + "work_mem = '8MB'\n", { shared_buffers: "1024MB", max_wal_size: "4GB" });
    expect(second.match(/Lead Intelligence Panel: managed settings/g)).toHaveLength(1);
    expect(second).not.toContain("512MB");
    expect(second).toContain("max_connections = 100\n");
    expect(second).toContain("work_mem = '8MB'\n");
    expect(second).toContain("shared_buffers = '1024MB'\nmax_wal_size = '4GB'\n");
    expect(withManagedSettings(second, { shared_buffers: "1024MB", max_wal_size: "4GB" })).toBe(second);
  });
});
