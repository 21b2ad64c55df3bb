// npm run docs:api — rewrites README's ingest error table from lib/ingest/ingest-contract.ts.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withIngestErrorTable } from "./lib/ingest-error-table.ts";

const readme = path.resolve(import.meta.dirname, "../README.md");
const before = readFileSync(readme, "utf8");
const after = withIngestErrorTable(before);
writeFileSync(readme, after);
console.log(
  before === after ? "README.md ingest error table already up to date" : "README.md ingest error table rewritten",
);
