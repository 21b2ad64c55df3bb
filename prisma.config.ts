import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7's CLI downloads a native schema engine before `generate`, which fails offline.
// `generate` never uses it, so pointing the variable at any existing file skips the download.
// Migrations are applied by scripts/migrate.ts, not by the engine (see README "Database").
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const engine = path.resolve("node_modules/@prisma/engines/schema-engine-debian-openssl-3.0.x");
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync(engine) ? engine : path.resolve("package.json");
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/veil" },
});
