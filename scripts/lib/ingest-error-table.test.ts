import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ingestErrorTable, withIngestErrorTable } from "./ingest-error-table.ts";

describe("README ingest error table", () => {
  it("is the one generated from lib/ingest/ingest-contract.ts (run `npm run docs:api` after changing it)", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    expect(withIngestErrorTable(readme)).toBe(readme);
  });
  it("gives each code its HTTP status", () => {
    expect(ingestErrorTable()).toContain("| 401 | `bad_signature` |");
    expect(ingestErrorTable()).toContain("| 429 | `rate_limited` |");
  });
});
