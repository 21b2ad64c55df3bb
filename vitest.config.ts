import path from "node:path";
import { defineConfig } from "vitest/config";

const common = {
  exclude: ["node_modules/**", ".data/**", ".next/**", "e2e/**", "lib/generated/**"],
};

// Two projects: unit tests (pure, fast, may fake collaborators) and integration tests (*.int.test.ts)
// against the real PostgreSQL, Redis and models that scripts/test.ts provides. Integration files
// run one at a time: they share the database of the run.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        // 20 s, not vitest's 5 s: scrypt at N=2^17 (lib/auth/password.test.ts) took over 5 s on a
        // 2-core machine running other suites. A budget against hangs, not a speed check.
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...common.exclude, "**/*.int.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: common.exclude,
          fileParallelism: false,
          setupFiles: ["tests/setup/close-connections.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
