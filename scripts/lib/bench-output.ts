import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A benchmark's or evaluation's numbers as JSON, to compare run to run; the folder is made if needed. */
export function writeResults(file: string, results: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`wrote ${file}`);
}

/** A benchmark's exit: 0 when main resolved, 1 with the error printed when it threw. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(1);
    },
  );
}
