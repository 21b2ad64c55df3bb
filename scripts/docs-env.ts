// npm run docs:env — rewrites README's configuration table from the environment schemas.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withEnvTable } from "./lib/env-table.ts";

const readme = path.resolve(import.meta.dirname, "../README.md");
const before = readFileSync(readme, "utf8");
const after = withEnvTable(before);
writeFileSync(readme, after);
console.log(
  before === after ? "README.md configuration table already up to date" : "README.md configuration table rewritten",
);
