import { describe, expect, it } from "vitest";
import { filesWithoutTests, finalLine, judgePlaywright, judgeVitest, runPassed } from "./test-verdict.ts";
import type { VitestSummary } from "./vitest-summary-reporter.ts";

const passing = (n: number, file = "a.test.ts"): VitestSummary["tests"] =>
  Array.from({ length: n }, (_, i) => ({ file, name: `t${i}`, state: "passed" }));
const summary = (over: Partial<VitestSummary> = {}): VitestSummary => ({
  tests: passing(3),
  moduleErrors: [],
  unhandledErrors: [],
  reason: "passed",
  ...over,
});

describe("test run verdict: every way a run could be wrongly green is a failure", () => {
  it("passes a clean run and prints the final line", () => {
    const v = judgeVitest("unit", 0, summary(), 3, ["a.test.ts"]);
    expect(v).toEqual({ name: "unit", passed: 3, failed: 0, skipped: 0, declaredSkips: [], problems: [] });
    expect(finalLine([v])).toBe("3 passed, 0 failed, 0 skipped");
    expect(runPassed([v], ["unit"])).toBe(true);
  });

  it("fails on an unhandled error even though every test passed", () => {
    const v = judgeVitest("unit", 1, summary({ unhandledErrors: ["Error: late rejection"] }), 3, ["a.test.ts"]);
    expect(v.failed).toBe(1);
    expect(v.problems).toEqual(["unhandled error: Error: late rejection"]);
  });

  it("fails on a non-zero exit code when the report shows nothing wrong", () => {
    const v = judgeVitest("unit", 1, summary(), 3, ["a.test.ts"]);
    expect(v.failed).toBe(1);
    expect(runPassed([v], ["unit"])).toBe(false);
  });

  it("fails on a missing report, a file that failed to load, an interrupted run", () => {
    expect(judgeVitest("unit", 0, undefined, 3, []).failed).toBeGreaterThan(0);
    expect(
      judgeVitest(
        "unit",
        1,
        summary({ moduleErrors: [{ file: "b.test.ts", message: "Error: face photos not found" }] }),
        3,
        ["a.test.ts"],
      ).problems,
    ).toContain("b.test.ts failed to load or run: Error: face photos not found");
    expect(judgeVitest("unit", 1, summary({ reason: "interrupted" }), 3, ["a.test.ts"]).failed).toBe(1);
  });

  it("fails on a skip without a reason and lists a declared one on the final line", () => {
    const tests = [
      ...passing(3),
      { file: "a.test.ts", name: "quiet", state: "skipped" },
      { file: "a.test.ts", name: "loud", state: "skipped", note: "needs a GPU" },
    ];
    const v = judgeVitest("unit", 0, summary({ tests }), 3, ["a.test.ts"]);
    expect(v.problems).toEqual(["skipped without a reason: a.test.ts › quiet"]);
    expect(v).toMatchObject({ passed: 3, failed: 1, skipped: 2, declaredSkips: ["a.test.ts › loud: needs a GPU"] });
    expect(finalLine([v])).toBe("3 passed, 1 failed, 2 skipped (skipped: a.test.ts › loud: needs a GPU)");
  });

  it("fails below the floor, without a floor, and on a file that collected no test", () => {
    expect(judgeVitest("unit", 0, summary(), 4, ["a.test.ts"]).problems).toEqual([
      "only 3 tests ran, expected at least 4 (scripts/test-floors.json)",
    ]);
    expect(judgeVitest("unit", 0, summary(), undefined, ["a.test.ts"]).failed).toBe(1);
    expect(judgeVitest("unit", 0, summary(), 3, ["a.test.ts", "lib/empty.test.ts"]).problems).toEqual([
      "lib/empty.test.ts collected no test",
    ]);
    expect(filesWithoutTests(["e2e/x/a.spec.ts"], ["x/a.spec.ts"])).toEqual([]);
  });

  it("reads Playwright's report: unexpected, flaky, undeclared skips, errors outside tests, missing specs", () => {
    const report = {
      suites: [
        {
          title: "x/a.spec.ts",
          file: "x/a.spec.ts",
          specs: [
            { title: "ok", file: "x/a.spec.ts", tests: [{ status: "expected" }] },
            { title: "bad", file: "x/a.spec.ts", tests: [{ status: "unexpected" }] },
            { title: "retry", file: "x/a.spec.ts", tests: [{ status: "flaky" }] },
            {
              title: "why",
              file: "x/a.spec.ts",
              tests: [{ status: "skipped", annotations: [{ type: "skip", description: "no camera" }] }],
            },
            { title: "quiet", file: "x/a.spec.ts", tests: [{ status: "skipped", annotations: [{ type: "skip" }] }] },
          ],
        },
      ],
      errors: [{ message: "Error: webServer exited early\nmore" }],
    };
    const v = judgePlaywright("e2e", 1, report, 3, ["e2e/x/a.spec.ts", "e2e/y/b.spec.ts"]);
    expect(v.passed).toBe(1);
    expect(v.problems).toEqual([
      "error outside a test: Error: webServer exited early",
      "e2e/y/b.spec.ts collected no test",
      "skipped without a reason: x/a.spec.ts › quiet",
    ]);
    expect(v.failed).toBe(2 + 3);
    expect(v.declaredSkips).toEqual(["x/a.spec.ts › why: no camera"]);
  });

  it("fails a run in which a project did not report at all", () => {
    expect(runPassed([judgeVitest("unit", 0, summary(), 3, ["a.test.ts"])], ["unit", "e2e"])).toBe(false);
  });
});
