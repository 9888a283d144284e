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
          // `npm run dev` started on a compile cache made to loop (issue 9): alone, after the
          // integration files, whose load on the machine moves the snapshot the recipe needs, and
          // away from scripts/launch.integration.test.ts's watch on the checkout's files.
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
