// npm test — every test of the project, against real services:
//   unit (vitest) -> integration (vitest, real PostgreSQL + Redis + models) -> e2e (Playwright, Chromium).
// With DATABASE_URL / REDIS_URL set (CI) it uses those servers; otherwise it starts the embedded ones.
// The run gets its own database (veil_test_<id>) and Redis key prefix, removed at the end, so it never
// disturbs other data on a shared server, and it never stops a service it did not start.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import { ensureServices } from "./lib/services.ts";
import { migrate } from "./lib/migrate.ts";
import { appRoleName, dropAppRole, ensureAppRole } from "./lib/db-roles.ts";
import { generateSecrets } from "./lib/secrets.ts";
import { freePort } from "./lib/free-port.ts";
import { run } from "./lib/run.ts";
import {
  finalLine,
  judgePlaywright,
  judgeVitest,
  runPassed,
  type PlaywrightReport,
  type ProjectResult,
} from "./lib/test-verdict.ts";
import type { VitestSummary } from "./lib/vitest-summary-reporter.ts";

const root = path.resolve(import.meta.dirname, "..");
const id = randomBytes(4).toString("hex");
const results = path.join(root, "test-results");

const floorsFile = path.join(root, "scripts", "test-floors.json");
const PROJECTS = ["unit", "integration", "e2e"];
// `npm test -- --projects unit,integration` runs a subset while developing; plain `npm test` (and CI)
// runs all three, and a run only passes when every selected project reported.
const projectsArg = process.argv.indexOf("--projects");
const selected = projectsArg > 0 ? process.argv[projectsArg + 1]!.split(",") : PROJECTS;
for (const p of selected)
  if (!PROJECTS.includes(p)) throw new Error(`unknown project "${p}" (one of ${PROJECTS.join(", ")})`);
// `--only e2e/accessibility,lib/api` runs just the test files under those paths (a developer's
// loop); the floors are not checked then, and the final line says it was a subset.
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? process.argv[onlyArg + 1]!.split(",").map((p) => p.replace(/\/$/, "")) : undefined;
const inOnly = (f: string) => !only || only.some((p) => f === p || f.startsWith(`${p}/`));

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
}

// The test files each project should collect, so that one collecting nothing is noticed.
const SKIP_DIRS = new Set([
  "node_modules",
  ".data",
  ".next",
  ".git",
  "lib/generated",
  "test-results",
  "playwright-report",
  "bench-results",
]);
function testFiles(dir: string, match: (f: string) => boolean, rel = ""): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return SKIP_DIRS.has(r) || SKIP_DIRS.has(e.name) ? [] : testFiles(dir, match, r);
    return match(r) ? [r] : [];
  });
}
const isUnit = (f: string) => f.endsWith(".test.ts") && !f.endsWith(".int.test.ts") && !f.startsWith("e2e/");
const isIntegration = (f: string) => f.endsWith(".int.test.ts") && !f.startsWith("e2e/");

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) deleted += await r.del(...keys);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
  return deleted;
}

async function main(): Promise<number> {
  const started = Date.now();
  const floors = readJson<Record<string, number>>(floorsFile) ?? {};
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  // The face photos several tests need: tests that use them fail (never skip) when they are absent.
  const facesDir = path.resolve(root, process.env.FACES_DIR ?? "../shared/faces");
  if (!existsSync(facesDir))
    console.error(`face photos not found at ${facesDir}: the tests that need them will fail (set FACES_DIR)`);
  // Static checks first (layer rule, env rule, types): a failure fails the run, but the suites
  // still run so that one report shows everything.
  const checks: ProjectResult[] = [];
  // `npm run lint` is ESLint and Prettier's check; the runner runs exactly what a developer runs.
  for (const [name, args] of [
    ["lint", ["run", "-s", "lint"]],
    ["typecheck", ["run", "-s", "typecheck"]],
  ] as const) {
    const code = await run("npm", [...args], process.env);
    checks.push({
      name,
      passed: 0,
      failed: code === 0 ? 0 : 1,
      skipped: 0,
      declaredSkips: [],
      problems: code === 0 ? [] : [`npm run ${name} failed (exit code ${code})`],
    });
  }
  const services = await ensureServices(path.join(root, ".data"));
  if (services.embedded.length) console.log(`embedded services: ${services.embedded.join("; ")}`);
  const dbName = `veil_test_${id}`;
  const prefix = `veiltest${id}`;
  const dataDir = path.join(root, ".data", `test-${id}`);
  const databaseUrl = await createDatabase(services.databaseUrl, dbName);
  const verdicts: ProjectResult[] = [...checks];
  try {
    const [e2ePort, smtpPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...generateSecrets(),
      DATABASE_URL: databaseUrl,
      REDIS_URL: services.redisUrl,
      REDIS_PREFIX: prefix,
      DATA_DIR: dataDir,
      FACES_DIR: facesDir,
      E2E_PORT: String(e2ePort),
      E2E_SMTP_PORT: String(smtpPort),
      APP_URL: `http://localhost:${e2ePort}`,
    };
    delete env.SMTP_URL;
    const m = await migrate(databaseUrl);
    console.log(`test database ${dbName}: ${m.applied.length} migrations applied; Redis prefix ${prefix}`);
    if ((await run("npx", ["tsx", "prisma/seed.ts"], env)) !== 0) throw new Error("seed failed");
    // The app and workers of the e2e run connect as the restricted role, as in production; tests
    // themselves keep the owner's connection (DATABASE_URL) to set up and inspect data.
    env.VEIL_APP_DATABASE_URL = await ensureAppRole(databaseUrl, randomBytes(18).toString("base64url"));

    const vitest = async (project: string, files: string[]) => {
      // With --only and nothing of this project under those paths, vitest would run every file.
      if (only && files.length === 0)
        return void verdicts.push({ name: project, passed: 0, failed: 0, skipped: 0, declaredSkips: [], problems: [] });
      const summary = path.join(results, `${project}.summary.json`);
      const code = await run(
        "npx",
        [
          "vitest",
          "run",
          "--project",
          project,
          "--reporter=default",
          "--reporter=json",
          `--outputFile.json=${path.join(results, `${project}.json`)}`,
          "--reporter=./scripts/lib/vitest-summary-reporter.ts",
          ...(only ? files : []),
        ],
        { ...env, VEIL_VITEST_SUMMARY: summary },
      );
      verdicts.push(judgeVitest(project, code, readJson<VitestSummary>(summary), only ? 0 : floors[project], files));
    };
    const all = testFiles(root, () => true).filter((f) => f.endsWith(".ts") && inOnly(f));
    if (selected.includes("unit")) await vitest("unit", all.filter(isUnit));
    if (selected.includes("integration")) await vitest("integration", all.filter(isIntegration));

    const specs = all.filter((f) => f.startsWith("e2e/") && f.endsWith(".spec.ts"));
    const e2eWanted = selected.includes("e2e") && !(only && specs.length === 0);
    const buildCode = e2eWanted ? await run("npx", ["next", "build"], env) : 0;
    if (!e2eWanted) {
      console.log("e2e not selected");
      if (selected.includes("e2e"))
        verdicts.push({ name: "e2e", passed: 0, failed: 0, skipped: 0, declaredSkips: [], problems: [] });
    } else if (buildCode !== 0)
      verdicts.push(judgePlaywright("e2e", buildCode, undefined, only ? 0 : floors.e2e, specs));
    else {
      // Playwright's JSON goes to test-results/e2e.json; its own artefacts to test-results/e2e/ (its
      // outputDir, which it empties when it starts), so the vitest reports above survive.
      const code = await run("npx", ["playwright", "test", ...(only ? specs : [])], env);
      verdicts.push(
        judgePlaywright(
          "e2e",
          code,
          readJson<PlaywrightReport>(path.join(results, "e2e.json")),
          only ? 0 : floors.e2e,
          specs,
        ),
      );
    }
  } finally {
    await dropDatabase(services.databaseUrl, dbName).catch((e) =>
      console.error(`could not drop ${dbName}: ${(e as Error).message}`),
    );
    await dropAppRole(services.databaseUrl, appRoleName(databaseUrl)).catch((e) =>
      console.error(`could not drop the app role: ${(e as Error).message}`),
    );
    await deleteKeys(services.redisUrl, prefix).catch((e) =>
      console.error(`could not clean Redis prefix ${prefix}: ${(e as Error).message}`),
    );
    rmSync(dataDir, { recursive: true, force: true });
    services.stop();
  }

  console.log("\nsummary");
  for (const v of verdicts) {
    if (checks.includes(v)) console.log(`  ${v.name.padEnd(12)} ${v.failed ? "FAILED" : "ok"}`);
    else
      console.log(
        `  ${v.name.padEnd(12)} ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped (floor ${only ? "not checked" : (floors[v.name] ?? "none")})`,
      );
    for (const p of v.problems) console.log(`    FAILED: ${p}`);
  }
  console.log(`  took ${Math.round((Date.now() - started) / 1000)} s; reports in test-results/`);
  if (selected.length < PROJECTS.length) console.log(`(only ${selected.join(", ")})`);
  if (only) console.log(`(only the files under ${only.join(", ")}; floors not checked)`);
  console.log(finalLine(verdicts));
  return runPassed(verdicts, selected) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
