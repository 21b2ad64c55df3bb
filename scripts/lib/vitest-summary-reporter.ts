// A vitest reporter that writes what scripts/test.ts needs to judge a run and nothing else: every
// test with its state and skip note, every file that failed to load, and every unhandled error.
// (vitest's JSON reporter sets `success: true` even when unhandled errors were printed.)
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";

export type VitestSummary = {
  tests: { file: string; name: string; state: string; note?: string }[];
  moduleErrors: { file: string; message: string }[];
  unhandledErrors: string[];
  reason: string;
};

function errorText(e: unknown): string {
  const err = e as { name?: string; message?: string; stack?: string };
  return `${err?.name ?? "Error"}: ${err?.message ?? String(e)}`.split("\n")[0]!;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<unknown>, reason: string): void {
    const out = process.env.VEIL_VITEST_SUMMARY;
    if (!out) return;
    const summary: VitestSummary = { tests: [], moduleErrors: [], unhandledErrors: unhandled.map(errorText), reason };
    for (const m of modules) {
      const file = path.relative(process.cwd(), m.moduleId);
      for (const e of m.errors()) summary.moduleErrors.push({ file, message: errorText(e) });
      for (const t of m.children.allTests()) {
        const r = t.result();
        summary.tests.push({
          file,
          name: t.fullName,
          state: r.state,
          ...(r.state === "skipped" && r.note ? { note: r.note } : {}),
        });
      }
    }
    writeFileSync(out, JSON.stringify(summary, null, 2));
  }
}
