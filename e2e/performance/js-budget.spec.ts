import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "../fixtures/test.ts";

// A size budget, not a speed check: what a shopper's phone downloads for each main shopper page.
// Each test is a fresh browser context (empty cache, the 360 px phone of playwright.config.ts); every
// script response until the network is idle is summed as sent (compressed body plus headers), and
// the total must stay under scripts/perf-budget.json's jsKiB. Cumulative Layout Shift, a score and
// not a time, is summed from a PerformanceObserver installed before the page's own scripts and
// bounded too. Largest Contentful Paint is a time: it is printed and written to
// test-results/perf.json, never asserted (it would flake on a loaded machine).
type Budget = { jsKiB: number; cls: number; pages: { name: string; path: string; signedIn: boolean }[] };
const root = path.resolve(import.meta.dirname, "../..");
const budget = JSON.parse(readFileSync(path.join(root, "scripts/perf-budget.json"), "utf8")) as Budget;

type Measured = { page: string; jsKiB: number; scripts: number; uncompressed: string[]; cls: number; lcpMs: number };
const results: Measured[] = [];

declare global {
  interface Window {
    __perf: { cls: number; lcp: number };
  }
}

async function measure(page: Page, url: string): Promise<Omit<Measured, "page">> {
  await page.addInitScript(() => {
    window.__perf = { cls: 0, lcp: 0 };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
        if (!e.hadRecentInput) window.__perf.cls += e.value;
    }).observe({ type: "layout-shift", buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__perf.lcp = e.startTime;
    }).observe({ type: "largest-contentful-paint", buffered: true });
  });
  const sizes: Promise<{ bytes: number; url: string; encoded: boolean }>[] = [];
  page.on("requestfinished", (req) => {
    if (req.resourceType() !== "script") return;
    sizes.push(
      Promise.all([req.sizes(), req.response()]).then(async ([s, res]) => ({
        bytes: s.responseBodySize + s.responseHeadersSize,
        url: req.url(),
        encoded: Boolean(await res?.headerValue("content-encoding")),
      })),
    );
  });
  const res = await page.goto(url, { waitUntil: "load" });
  expect(res?.status(), url).toBe(200);
  await page.waitForLoadState("networkidle");
  const scripts = await Promise.all(sizes);
  const perf = await page.evaluate(() => window.__perf);
  return {
    jsKiB: Math.round((scripts.reduce((n, s) => n + s.bytes, 0) / 1024) * 10) / 10,
    scripts: scripts.length,
    // A large script sent uncompressed is a server misconfiguration the total alone would hide.
    uncompressed: scripts.filter((s) => !s.encoded && s.bytes > 2048).map((s) => new URL(s.url).pathname),
    cls: Math.round(perf.cls * 1000) / 1000,
    lcpMs: Math.round(perf.lcp),
  };
}

for (const p of budget.pages) {
  test(`${p.name} (${p.path}) stays within the JS and layout-shift budget at 360 px`, async ({ page, loginAs }) => {
    if (p.signedIn) await loginAs("SHOPPER");
    const m = await measure(page, p.path);
    results.push({ page: p.path, ...m });
    console.log(
      `perf ${p.path}: ${m.jsKiB} KiB of JS in ${m.scripts} scripts (budget ${budget.jsKiB}), CLS ${m.cls} (budget ${budget.cls}), LCP ${m.lcpMs} ms (not asserted)`,
    );
    expect(m.scripts, "the page loads its scripts").toBeGreaterThan(0);
    expect(m.uncompressed, "scripts are sent compressed").toEqual([]);
    expect(m.jsKiB, `JS sent for ${p.path} (KiB)`).toBeLessThanOrEqual(budget.jsKiB);
    expect(m.cls, `Cumulative Layout Shift of ${p.path}`).toBeLessThanOrEqual(budget.cls);
  });
}

test.afterAll(() => {
  mkdirSync(path.join(root, "test-results"), { recursive: true });
  const { jsKiB, cls } = budget;
  writeFileSync(
    path.join(root, "test-results/perf.json"),
    JSON.stringify({ budget: { jsKiB, cls }, results }, null, 2) + "\n",
  );
});
