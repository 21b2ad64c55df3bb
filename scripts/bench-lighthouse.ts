// npm run bench:lighthouse [-- --json <file>]
// Lighthouse (mobile: its default emulated phone and simulated throttling) on the main shopper pages
// of a throwaway copy of the system (its own database and Redis prefix, demo data, the built app),
// in Debian's Chromium: prints each page's category scores, its JS transfer size and the lab
// metrics, and writes them as JSON (default bench-results/lighthouse.json). `npm run build` first.
// Not part of `npm test`: scores move with the machine's load. The guard in `npm test` is the size
// budget (e2e/performance/js-budget.spec.ts); this is the full report behind it.
// Lighthouse is not a dependency of the project (146 packages that only this command uses): npx
// fetches the pinned version from the npm registry on first use (12.2.3: Lighthouse 13 needs
// Node 22). It makes no request but to the app.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startIsolatedStack } from "./lib/isolated-stack.ts";
import { runBench, writeResults } from "./lib/bench-output.ts";
import { run } from "./lib/run.ts";
import { SESSION_COOKIE, sessionCookieValue } from "../tests/session-cookie.ts";

const LIGHTHOUSE = "lighthouse@12.2.3";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
const { values } = parseArgs({ options: { json: { type: "string" } } });
const root = path.resolve(import.meta.dirname, "..");
// The pages of the size budget in `npm test`.
const PAGES = (
  JSON.parse(readFileSync(path.join(root, "scripts", "perf-budget.json"), "utf8")) as {
    pages: { name: string; path: string; signedIn: boolean }[];
  }
).pages;
const jsonPath = path.resolve(values.json ?? path.join(root, "bench-results", "lighthouse.json"));

type Report = {
  lighthouseVersion: string;
  environment: { hostUserAgent: string };
  categories: Record<string, { score: number | null }>;
  audits: Record<
    string,
    { numericValue?: number; details?: { items?: { resourceType?: string; transferSize?: number }[] } }
  >;
};

runBench(async () => {
  const stack = await startIsolatedStack({ workers: 0, root });
  const tmp = mkdtempSync(path.join(os.tmpdir(), "veil-lighthouse-"));
  try {
    Object.assign(process.env, stack.env);
    const { db, disconnectDb } = await import("../lib/db.ts");
    const shopper = await db().user.create({
      data: {
        email: `lighthouse-${randomUUID().slice(0, 8)}@shopper.test`,
        role: "SHOPPER",
        emailVerified: new Date(),
      },
    });
    await disconnectDb();
    const session = await sessionCookieValue(
      { id: shopper.id, email: shopper.email!, sessionVersion: shopper.sessionVersion },
      randomBytes(18).toString("base64url"),
      stack.env.AUTH_SECRET!,
    );
    const cookie = { Cookie: `${SESSION_COOKIE}=${session}` };

    const pages = [];
    for (const p of PAGES) {
      const out = path.join(tmp, `${pages.length}.json`);
      const code = await run(
        "npx",
        [
          "--yes",
          LIGHTHOUSE,
          `${stack.appUrl}${p.path}`,
          "--output=json",
          `--output-path=${out}`,
          "--quiet",
          `--only-categories=${CATEGORIES.join(",")}`,
          "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
          ...(p.signedIn ? [`--extra-headers=${JSON.stringify(cookie)}`] : []),
        ],
        { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
      );
      if (code !== 0) throw new Error(`lighthouse exited ${code} on ${p.path}`);
      const r = JSON.parse(readFileSync(out, "utf8")) as Report;
      const audit = (id: string) => Math.round(r.audits[id]?.numericValue ?? NaN);
      const script = r.audits["resource-summary"]?.details?.items?.find((i) => i.resourceType === "script");
      pages.push({
        page: p.path,
        scores: Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((r.categories[c]?.score ?? 0) * 100)])),
        jsKiB: Math.round(((script?.transferSize ?? 0) / 1024) * 10) / 10,
        totalKiB: Math.round((audit("total-byte-weight") / 1024) * 10) / 10,
        lcpMs: audit("largest-contentful-paint"),
        fcpMs: audit("first-contentful-paint"),
        tbtMs: audit("total-blocking-time"),
        cls: Math.round((r.audits["cumulative-layout-shift"]?.numericValue ?? NaN) * 1000) / 1000,
        lighthouse: r.lighthouseVersion,
        browser: r.environment.hostUserAgent,
      });
      const last = pages.at(-1)!;
      console.log(
        `${p.path.padEnd(18)} ${CATEGORIES.map((c) => `${c} ${last.scores[c]}`).join(", ")}; JS ${last.jsKiB} KiB, total ${last.totalKiB} KiB; LCP ${last.lcpMs} ms, TBT ${last.tbtMs} ms, CLS ${last.cls}`,
      );
    }
    writeResults(jsonPath, { at: new Date().toISOString(), tool: LIGHTHOUSE, formFactor: "mobile", pages });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await stack.stop();
  }
});
