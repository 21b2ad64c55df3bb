// A throwaway copy of the system for benchmarks: its own database and Redis prefix on the given (or
// embedded) servers, migrated and seeded, with the built app and N worker processes. stop() removes
// everything it created and stops only what it started.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import { ensureServices } from "./services.ts";
import { migrate } from "./migrate.ts";
import { generateSecrets } from "./secrets.ts";
import { freePort } from "./free-port.ts";
import { run } from "./run.ts";

export type Stack = {
  env: NodeJS.ProcessEnv;
  appUrl: string;
  workers: ChildProcess[];
  stop: () => Promise<void>;
  /** another worker process; `extra` overrides the stack's environment for it alone */
  addWorker: (extra?: Record<string, string>) => ChildProcess;
  /** stops one worker process (its whole process group) and waits until it has exited */
  stopWorker: (c: ChildProcess) => Promise<void>;
};

export async function startIsolatedStack(opts: { workers: number; root: string }): Promise<Stack> {
  const services = await ensureServices(path.join(opts.root, ".data"));
  const id = randomBytes(4).toString("hex");
  const dbName = `veil_bench_${id}`;
  const admin = new pg.Client({ connectionString: services.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const u = new URL(services.databaseUrl);
  u.pathname = `/${dbName}`;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...generateSecrets(),
    DATABASE_URL: u.toString(),
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: `veilbench${id}`,
    APP_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: path.join(opts.root, ".data", `bench-${id}`),
    NODE_ENV: "production",
    // A throwaway copy with demo data, no mail server.
    VEIL_DEMO: "1",
    LOG_LEVEL: "warn",
    // Given here, so the seed writes no demo-staff.json with a password into the bench's folder.
    DEMO_STAFF_PASSWORD: randomBytes(12).toString("base64url"),
  };
  await migrate(env.DATABASE_URL!);
  if ((await run("npx", ["tsx", "prisma/seed.ts"], env)) !== 0) throw new Error("seed failed");
  const children: ChildProcess[] = [];
  const start = (args: string[], extra: Record<string, string> = {}) => {
    const c = spawn("npx", args, { env: { ...env, ...extra }, stdio: ["ignore", "ignore", "inherit"], detached: true });
    children.push(c);
    return c;
  };
  start(["tsx", "scripts/app-server.ts", "-p", String(port)]);
  const workers = Array.from({ length: opts.workers }, () => start(["tsx", "workers/main.ts"]));
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${env.APP_URL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    env,
    appUrl: env.APP_URL!,
    workers,
    addWorker: (extra) => start(["tsx", "workers/main.ts"], extra),
    stopWorker: async (c) => {
      const exited = new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)));
      try {
        process.kill(-c.pid!, "SIGTERM");
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      children.splice(children.indexOf(c), 1);
    },
    stop: async () => {
      for (const c of children) {
        try {
          process.kill(-c.pid!, "SIGTERM");
        } catch {}
      }
      await new Promise((r) => setTimeout(r, 3000));
      const a = new pg.Client({ connectionString: services.databaseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await a.end();
      const r = new Redis(services.redisUrl, { maxRetriesPerRequest: 1 });
      let cursor = "0";
      do {
        const [next, keys] = await r.scan(cursor, "MATCH", `${env.REDIS_PREFIX}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) await r.del(...keys);
      } while (cursor !== "0");
      r.disconnect();
      rmSync(env.DATA_DIR!, { recursive: true, force: true });
      services.stop();
    },
  };
}
