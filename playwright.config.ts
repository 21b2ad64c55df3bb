import { defineConfig, devices } from "@playwright/test";

// End-to-end tests in Debian's Chromium on a phone viewport, against the built app started here
// (scripts/e2e-server.ts: scripts/app-server.ts, as in production, and the workers).
// scripts/test.ts provides DATABASE_URL, REDIS_URL, REDIS_PREFIX and the secrets of the run.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2526);
const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  // Playwright empties its outputDir when it starts: keep it to a folder of its own so the unit and
  // integration reports scripts/test.ts wrote to test-results/ before it survive.
  outputDir: "test-results/e2e",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    {
      name: "phone",
      // A 360 px wide phone: the narrowest the product must work at.
      use: {
        ...devices["Galaxy S9+"],
        browserName: "chromium",
        viewport: { width: 360, height: 740 },
        locale: "en-GB",
      },
    },
  ],
  webServer: {
    command: "npx tsx scripts/e2e-server.ts",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      ...(process.env as Record<string, string>),
      APP_URL: baseURL,
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      // No proxy, as `npm start`: the socket's peer is the client. e2e/security/client-ip.spec.ts
      // starts a second app with TRUSTED_PROXY_HOPS=1 for the case behind a proxy.
      TRUSTED_PROXY_HOPS: "0",
    },
  },
});
