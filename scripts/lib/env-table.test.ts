import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envTable, withEnvTable } from "./env-table.ts";

describe("README configuration table", () => {
  it("is the one generated from the schemas (run `npm run docs:env` after changing a setting)", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    expect(withEnvTable(readme)).toBe(readme);
  });
  it("names every setting of the app's schema with its default", () => {
    const t = envTable();
    for (const v of ["DATABASE_URL", "APP_URL", "MATCH_THRESHOLD", "PORT"]) expect(t).toContain(`| \`${v}\` |`);
    expect(t).toContain("| `FRAME_TTL_SECONDS` | `30` |");
    expect(t).toContain("| `DATABASE_URL` | required |");
  });
});
