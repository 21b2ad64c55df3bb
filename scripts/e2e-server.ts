// The system under test for Playwright: the built app (served as in production, by
// scripts/app-server.ts) and the workers, stopped together on SIGTERM
// (Playwright's webServer gracefulShutdown), so no worker outlives the run.
import { spawn, type ChildProcess } from "node:child_process";

const port = process.env.E2E_PORT ?? "3210";
// App and workers as the restricted database role scripts/test.ts created (scripts/lib/db-roles.ts).
const env = { ...process.env, DATABASE_URL: process.env.VEIL_APP_DATABASE_URL ?? process.env.DATABASE_URL };
const children: ChildProcess[] = [
  spawn("npx", ["tsx", "scripts/app-server.ts", "-p", port], { stdio: "inherit", env, detached: true }),
  spawn("npx", ["tsx", "workers/main.ts"], { stdio: "inherit", env, detached: true }),
];

let stopping = false;
function stop(code: number) {
  if (stopping) return;
  stopping = true;
  // Each child leads its own process group: signal the group so npx's own children stop too.
  for (const c of children) {
    try {
      process.kill(-c.pid!, "SIGTERM");
    } catch {}
  }
  const timer = setTimeout(() => process.exit(code), 8000);
  let left = children.length;
  for (const c of children) {
    c.once("exit", () => {
      if (--left === 0) {
        clearTimeout(timer);
        process.exit(code);
      }
    });
  }
}
for (const c of children) c.on("exit", (code) => !stopping && stop(code ?? 1));
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
