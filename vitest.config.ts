import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside React Server Components; tests and scripts are server code.
  "server-only": path.resolve(import.meta.dirname, "tests/server-only-stub.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/*.restart.test.ts", "node_modules/**", "e2e/**", ".data/**", ".next*/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: ["node_modules/**", ".data/**", ".next*/**"],
          environment: "node",
          globalSetup: ["tests/global-setup.ts"],
          setupFiles: ["tests/integration-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // One PostgreSQL serves every file; files isolate by creating their own workspaces.
          fileParallelism: true,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          // `npm run dev` started on a compile cache made to loop (issue 9), alone: the integration
          // files' load moves the snapshot the recipe needs, and its next dev rewrote files under
          // scripts/launch.integration.test.ts's watch of the checkout. Run on demand
          // (`npm run test:restart`), not by `npm test`: the recipe is not reliable enough yet
          // (looped 9 of 9 at load 6-10, then 0 of 9 attempts on a quiet machine).
          name: "restart",
          include: ["scripts/**/*.restart.test.ts"],
          exclude: ["node_modules/**", ".data/**", ".next*/**"],
          environment: "node",
          fileParallelism: false,
        },
      },
    ],
  },
});
