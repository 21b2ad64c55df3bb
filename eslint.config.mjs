import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

// Layers (docs/ARCHITECTURE.md): app -> lib, workers -> lib, scripts/tests -> anything. lib is the
// domain layer and imports neither app nor workers; the web app never loads the workers (and with
// them onnxruntime-node). import/no-restricted-paths keeps it so.
const layers = {
  "import/no-restricted-paths": [
    "error",
    {
      zones: [
        { target: "./lib", from: "./workers", message: "lib/ is the bottom layer: move what both need into lib/." },
        { target: "./lib", from: "./app", message: "lib/ is the bottom layer: it must not import the web app." },
        { target: "./lib", from: "./scripts", message: "lib/ must not import scripts/." },
        { target: "./lib", from: "./tests", message: "test helpers stay out of production code." },
        { target: "./app", from: "./workers", message: "the web app talks to workers only through lib/jobs." },
        { target: "./workers", from: "./app", message: "workers must not import the web app." },
      ],
    },
  ],
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "lib/generated/**",
    ".data/**",
    "test-results/**",
    "playwright-report/**",
    "bench-results/**",
    "models/**",
    "next-env.d.ts",
  ]),
  {
    // Test files sit beside the code they test but are the top layer: they may use any helper.
    files: ["app/**", "lib/**", "workers/**"],
    ignores: ["**/*.test.ts"],
    rules: layers,
  },
  {
    rules: {
      // `_name` marks a value left out on purpose (e.g. dropped from an object by destructuring).
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { varsIgnorePattern: "^_", argsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // Environment is validated once in lib/env.ts (and the vision part in lib/vision/config.ts).
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "read settings through env() from lib/env.ts" },
      ],
    },
  },
  {
    // Where process.env is legitimately read: the schemas themselves, the CLIs and test harnesses
    // that prepare an environment for child processes, and Next's build config.
    // The logger is the exception in lib: it must work before (and while reporting) a failed env().
    files: [
      "lib/env.ts",
      "lib/vision/config.ts",
      "lib/config/parse-settings.ts",
      "lib/log/logger.ts",
      "scripts/**",
      "tests/**",
      "**/*.test.ts",
      "e2e/**",
      "playwright.config.ts",
      "prisma.config.ts",
      "prisma/seed.ts",
      "next.config.js",
      "vitest.config.ts",
    ],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Playwright fixtures call their `use` callback, which is not React's use().
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  // Layout belongs to Prettier (`npm run format`); this turns off the ESLint rules that would fight it.
  prettier,
]);
