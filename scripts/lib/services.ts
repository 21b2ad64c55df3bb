// Embedded PostgreSQL and Redis for a newcomer's machine: started under .data/ on loopback and
// non-standard ports when no DATABASE_URL / REDIS_URL is given. Only what this module started is
// ever stopped.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createConnection } from "node:net";
import path from "node:path";
import { launcherEnv } from "./launcher-env.ts";

export const PG_PORT = launcherEnv().VEIL_PG_PORT;
export const REDIS_PORT = launcherEnv().VEIL_REDIS_PORT;
const PG_BIN = launcherEnv().PG_BIN;

export type Started = { url: string; stop: () => void };

function which(bin: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${bin}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

export class MissingBinary extends Error {}

function requireBinary(file: string, apt: string): void {
  if (!existsSync(file) && !which(file)) {
    throw new MissingBinary(`${file} not found. Install it with: sudo apt-get install -y ${apt}`);
  }
}

export function portOpen(port: number, host = "127.0.0.1", timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000}s`);
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root). */
function pgRun(bin: string, args: string[]): void {
  const file = path.join(PG_BIN, bin);
  const cmd = isRoot() ? (["runuser", ["-u", "postgres", "--", file, ...args]] as const) : ([file, args] as const);
  const r = spawnSync(cmd[0], [...cmd[1]], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${bin} failed: ${(r.stderr || r.stdout).trim()}`);
}

export async function startEmbeddedPostgres(dataDir: string): Promise<Started> {
  requireBinary(path.join(PG_BIN, "pg_ctl"), "postgresql");
  const dir = path.resolve(dataDir, "pg");
  const url = `postgresql://postgres@127.0.0.1:${PG_PORT}/veil`;
  if (await portOpen(PG_PORT)) {
    // Already running (a previous start that was not stopped, or another terminal): reuse it.
    return { url, stop: () => {} };
  }
  if (!existsSync(path.join(dir, "PG_VERSION"))) {
    mkdirSync(dir, { recursive: true });
    if (isRoot()) {
      const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
      const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
      chownSync(dir, uid, gid);
    }
    pgRun("initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]);
  }
  pgRun("pg_ctl", [
    "-D",
    dir,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-o",
    `-p ${PG_PORT} -c listen_addresses=127.0.0.1 -k ${dir}`,
    "start",
  ]);
  await waitFor(() => portOpen(PG_PORT), "PostgreSQL");
  const { default: pg } = await import("pg");
  const admin = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${PG_PORT}/postgres` });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'veil'");
  if (!exists.rowCount) await admin.query("CREATE DATABASE veil");
  await admin.end();
  return {
    url,
    stop: () => {
      try {
        pgRun("pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]);
      } catch (e) {
        console.error(`could not stop PostgreSQL: ${(e as Error).message}`);
      }
    },
  };
}

export async function startEmbeddedRedis(dataDir: string): Promise<Started> {
  requireBinary("redis-server", "redis-server");
  const dir = path.resolve(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const url = `redis://127.0.0.1:${REDIS_PORT}`;
  if (await portOpen(REDIS_PORT)) return { url, stop: () => {} };
  const pidfile = path.join(dir, "redis.pid");
  const r = spawnSync(
    "redis-server",
    [
      "--bind",
      "127.0.0.1",
      "--port",
      String(REDIS_PORT),
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "yes",
      "--pidfile",
      pidfile,
      "--dir",
      dir,
      "--logfile",
      path.join(dir, "redis.log"),
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`redis-server failed: ${r.stderr || r.stdout}`);
  await waitFor(() => portOpen(REDIS_PORT), "Redis");
  return {
    url,
    stop: () => {
      try {
        const pid = Number(readFileSync(pidfile, "utf8").trim());
        if (pid) process.kill(pid, "SIGTERM");
      } catch (e) {
        console.error(`could not stop Redis: ${(e as Error).message}`);
      }
    },
  };
}

/** Uses DATABASE_URL / REDIS_URL when set; otherwise starts the embedded servers. */
export async function ensureServices(
  dataDir: string,
): Promise<{ databaseUrl: string; redisUrl: string; stop: () => void; embedded: string[] }> {
  const stops: (() => void)[] = [];
  const embedded: string[] = [];
  let databaseUrl = process.env.DATABASE_URL;
  let redisUrl = process.env.REDIS_URL;
  try {
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres(dataDir);
      databaseUrl = pg.url;
      stops.push(pg.stop);
      embedded.push(`PostgreSQL on 127.0.0.1:${PG_PORT} (${path.resolve(dataDir, "pg")})`);
    }
    if (!redisUrl) {
      const rd = await startEmbeddedRedis(dataDir);
      redisUrl = rd.url;
      stops.push(rd.stop);
      embedded.push(`Redis on 127.0.0.1:${REDIS_PORT}`);
    }
  } catch (e) {
    stops.reverse().forEach((s) => s());
    throw e;
  }
  return { databaseUrl, redisUrl, embedded, stop: () => stops.reverse().forEach((s) => s()) };
}
