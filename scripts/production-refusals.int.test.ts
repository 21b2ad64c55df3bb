// Rows 9 and 10 of issue 10: a production deployment (NODE_ENV=production, not the `npm start`
// demo) refuses to start without a mail server or a metrics token, and its seed creates no demo
// store and no staff account with a shared password.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "veil-prod-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(args: string[], extra: Record<string, string | undefined>) {
  const env = { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, ...extra } as NodeJS.ProcessEnv;
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  const r = spawnSync("npx", ["tsx", ...args], { cwd: root, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("production refusals", () => {
  it("sign-in links to stdout: the workers refuse to start in production without SMTP_URL or METRICS_TOKEN", () => {
    const r = run(["workers/main.ts"], { SMTP_URL: undefined, METRICS_TOKEN: undefined, VEIL_DEMO: undefined });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("SMTP_URL: required in production");
    expect(r.out).toContain("METRICS_TOKEN: required in production");
  }, 120_000);

  it("demo accounts in production: the seed writes reference data only, no demo staff and no password file", () => {
    const r = run(["prisma/seed.ts"], {
      SMTP_URL: "smtp://127.0.0.1:25",
      METRICS_TOKEN: "a-metrics-token-for-the-test",
      VEIL_DEMO: undefined,
      DEMO_STAFF_PASSWORD: undefined,
    });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("no demo accounts");
    expect(r.out).not.toMatch(/sign-in: \S+ \/ /);
    expect(existsSync(path.join(dataDir, "demo-staff.json"))).toBe(false);
  }, 120_000);
});
