// How scripts/test.ts decides whether a run passed. Kept apart from the runner (pure functions over
// the reports) so that each way a run can be wrongly green has a unit test (test-verdict.test.ts).
//
// A project counts as failed when any of these hold, each reported as one more failure:
// - the tool exited non-zero (vitest exits 1 on unhandled errors even when every test passed);
// - its report is missing, or names an unhandled error or a file that failed to load;
// - a test was skipped without saying why (vitest `ctx.skip("why")`, Playwright `test.skip(cond, "why")`);
// - fewer tests ran than the floor in scripts/test-floors.json, or a test file collected no test at all.
import type { VitestSummary } from "./vitest-summary-reporter.ts";

export type ProjectResult = {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  declaredSkips: string[];
  problems: string[];
};

function finish(
  name: string,
  exitCode: number,
  passed: number,
  failed: number,
  skips: { id: string; why?: string }[],
  problems: string[],
  floor: number | undefined,
): ProjectResult {
  const declaredSkips: string[] = [];
  for (const s of skips) {
    if (s.why && s.why.trim()) declaredSkips.push(`${s.id}: ${s.why.trim()}`);
    else problems.push(`skipped without a reason: ${s.id}`);
  }
  if (floor === undefined) problems.push(`no expected count for "${name}" in scripts/test-floors.json`);
  else if (passed + failed < floor)
    problems.push(`only ${passed + failed} tests ran, expected at least ${floor} (scripts/test-floors.json)`);
  if (exitCode !== 0 && failed === 0 && problems.length === 0)
    problems.push(`exited with code ${exitCode} although no test failed (see its output above)`);
  return { name, passed, failed: failed + problems.length, skipped: skips.length, declaredSkips, problems };
}

export function judgeVitest(
  name: string,
  exitCode: number,
  summary: VitestSummary | undefined,
  floor: number | undefined,
  files: string[],
): ProjectResult {
  if (!summary) return finish(name, exitCode, 0, 0, [], [`no report written (exit code ${exitCode})`], floor);
  const problems: string[] = [];
  for (const e of summary.unhandledErrors) problems.push(`unhandled error: ${e}`);
  for (const e of summary.moduleErrors) problems.push(`${e.file} failed to load or run: ${e.message}`);
  if (summary.reason === "interrupted") problems.push("the run was interrupted");
  let passed = 0;
  let failed = 0;
  const skips: { id: string; why?: string }[] = [];
  for (const t of summary.tests) {
    if (t.state === "passed") passed++;
    else if (t.state === "failed") failed++;
    else skips.push({ id: `${t.file} › ${t.name}`, why: t.note });
  }
  // A file that failed to load is already reported above.
  problems.push(
    ...filesWithoutTests(files, [...summary.tests.map((t) => t.file), ...summary.moduleErrors.map((e) => e.file)]),
  );
  return finish(name, exitCode, passed, failed, skips, problems, floor);
}

// The parts of Playwright's JSON report read here.
type PwTest = { status: string; annotations?: { type: string; description?: string }[] };
type PwSpec = { title: string; file: string; tests: PwTest[] };
type PwSuite = { title: string; file?: string; specs?: PwSpec[]; suites?: PwSuite[] };
export type PlaywrightReport = { suites?: PwSuite[]; errors?: { message?: string }[] };

function specsOf(suites: PwSuite[] = [], titles: string[] = []): { spec: PwSpec; title: string }[] {
  return suites.flatMap((s) => {
    const here = s.file && s.title === s.file ? titles : [...titles, s.title];
    return [
      ...(s.specs ?? []).map((spec) => ({ spec, title: [...here, spec.title].join(" › ") })),
      ...specsOf(s.suites, here),
    ];
  });
}

export function judgePlaywright(
  name: string,
  exitCode: number,
  report: PlaywrightReport | undefined,
  floor: number | undefined,
  files: string[],
): ProjectResult {
  if (!report) return finish(name, exitCode, 0, 0, [], [`no report written (exit code ${exitCode})`], floor);
  const problems = (report.errors ?? []).map((e) => `error outside a test: ${(e.message ?? "").split("\n")[0]}`);
  let passed = 0;
  let failed = 0;
  const skips: { id: string; why?: string }[] = [];
  const ran: string[] = [];
  for (const { spec, title } of specsOf(report.suites)) {
    ran.push(spec.file);
    for (const t of spec.tests) {
      if (t.status === "skipped") {
        skips.push({
          id: `${spec.file} › ${title}`,
          why: t.annotations?.find((a) => a.type === "skip" || a.type === "fixme")?.description,
        });
        continue;
      }
      // "flaky" passed only on a retry: that is a failure here (the config retries nothing anyway).
      if (t.status === "expected") passed++;
      else failed++;
    }
  }
  problems.push(...filesWithoutTests(files, ran));
  return finish(name, exitCode, passed, failed, skips, problems, floor);
}

/** Test files on disk that collected no test (such a file is otherwise silent). */
export function filesWithoutTests(files: string[], ranIn: string[]): string[] {
  const ran = new Set(ranIn.map((f) => f.replace(/\\/g, "/")));
  return files
    .filter((f) => ![...ran].some((r) => r === f || r.endsWith(`/${f}`) || f.endsWith(`/${r}`)))
    .map((f) => `${f} collected no test`);
}

export function finalLine(results: ProjectResult[]): string {
  const sum = (k: "passed" | "failed" | "skipped") => results.reduce((a, r) => a + r[k], 0);
  const declared = results.flatMap((r) => r.declaredSkips);
  return `${sum("passed")} passed, ${sum("failed")} failed, ${sum("skipped")} skipped${declared.length ? ` (skipped: ${declared.join("; ")})` : ""}`;
}

export function runPassed(results: ProjectResult[], expected: string[]): boolean {
  return (
    expected.every((p) => results.some((r) => r.name === p)) &&
    results.every((r) => r.failed === 0) &&
    results.some((r) => r.passed > 0)
  );
}
