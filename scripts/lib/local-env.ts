// The one resolver behind every npm script's zero configuration. With nothing in the environment,
// a script in the same checkout as a running `npm start` uses what that start uses: the servers it
// recorded in <data>/running.json (the embedded PostgreSQL and Redis under .data/, or the ones it
// was given), the generated secrets in <data>/secrets.json, and the app's URL. Anything set in the
// environment wins. When something is missing it says what, and how to get it.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pidAlive, readRunning } from "./running.ts";
import { PG_PORT, REDIS_PORT, portOpen } from "./services.ts";

export type Need = "db" | "redis" | "secrets" | "app";

export class NotConfigured extends Error {}

const SECRET_KEYS = ["AUTH_SECRET", "TEMPLATE_KEYS", "TEMPLATE_KEY_ID", "SUBJECT_HASH_KEY"] as const;
const root = path.resolve(import.meta.dirname, "../..");

export function dataDirOf(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, env.DATA_DIR ?? ".data");
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url.replace(/^redis\+cluster:/, "redis:"));
  return { host: u.hostname || "127.0.0.1", port: Number(u.port || (u.protocol.startsWith("postgres") ? 5432 : 6379)) };
}

async function reachable(url: string): Promise<boolean> {
  const { host, port } = hostPort(url);
  return portOpen(port, host === "localhost" ? "127.0.0.1" : host, 1000);
}

function ownsEmbedded(dataDir: string, name: "DATABASE_URL" | "REDIS_URL"): boolean {
  const file =
    name === "DATABASE_URL" ? path.join(dataDir, "pg", "postmaster.pid") : path.join(dataDir, "redis", "redis.pid");
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  return pid > 0 && pidAlive(pid);
}

const howToStart = (dataDir: string) =>
  `Start the system with \`npm start\` in another terminal of this checkout (${root}) and run this again` +
  `${dataDir !== path.join(root, ".data") ? ` (with DATA_DIR=${dataDir})` : ""}, or point this command at your own servers with DATABASE_URL and REDIS_URL.`;

/** The variables a script needs, filled from the running `npm start`; throws NotConfigured. */
export async function resolveLocalEnv(
  needs: Need[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  const dataDir = dataDirOf(env);
  const out: Record<string, string> = { DATA_DIR: dataDir };
  const running = readRunning(dataDir);
  const live = running && pidAlive(running.pid) ? running : null;

  const server = async (
    name: "DATABASE_URL" | "REDIS_URL",
    what: string,
    recorded: string | undefined,
    embeddedUrl: string,
  ) => {
    if (env[name]) return;
    // Recorded by a live `npm start`; else the embedded server of this data folder may still be up
    // on its own (an `npm start` that crashed, or `npm test` holding it). Its pid file tells it from
    // another checkout's server on the same default port.
    const url = recorded ?? embeddedUrl;
    if ((recorded || ownsEmbedded(dataDir, name)) && (await reachable(url))) {
      out[name] = url;
      return;
    }
    const where = live
      ? `the ${what} that npm start (pid ${live.pid}) uses, ${url}, does not answer`
      : `${name} is not set and the embedded ${what} (${hostPort(embeddedUrl).host}:${hostPort(embeddedUrl).port}, ${path.join(dataDir, what === "PostgreSQL" ? "pg" : "redis")}) is not running`;
    throw new NotConfigured(`${where}.\n${howToStart(dataDir)}`);
  };
  if (needs.includes("db"))
    await server("DATABASE_URL", "PostgreSQL", live?.databaseUrl, `postgresql://postgres@127.0.0.1:${PG_PORT}/veil`);
  // A deployment that sets DATABASE_URL but leaves REDIS_URL to its default (lib/env.ts) is configured:
  // look for the embedded Redis only in a checkout that runs on the embedded servers. A Redis
  // Cluster (REDIS_CLUSTER_NODES) is configured too: REDIS_URL is not used then.
  if (needs.includes("redis") && !env.REDIS_CLUSTER_NODES && !(env.DATABASE_URL && !env.REDIS_URL && !live)) {
    await server("REDIS_URL", "Redis", live?.redisUrl, `redis://127.0.0.1:${REDIS_PORT}`);
  }

  if (needs.includes("secrets") && SECRET_KEYS.some((k) => !env[k])) {
    const file = path.join(dataDir, "secrets.json");
    if (!existsSync(file)) {
      throw new NotConfigured(
        `${SECRET_KEYS.filter((k) => !env[k]).join(", ")} not set and ${file} does not exist (npm start creates it on its first run).\n${howToStart(dataDir)}`,
      );
    }
    const stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    for (const k of SECRET_KEYS) if (!env[k] && stored[k]) out[k] = stored[k];
  }

  if (needs.includes("app") && !env.APP_URL) {
    out.APP_URL = live?.appUrl ?? `http://localhost:${env.PORT ?? 3000}`;
  }
  return out;
}

/** Fills process.env in place; prints the reason and exits 2 when it cannot. */
export async function applyLocalEnv(needs: Need[]): Promise<void> {
  try {
    Object.assign(process.env, await resolveLocalEnv(needs));
  } catch (e) {
    if (!(e instanceof NotConfigured)) throw e;
    console.error(e.message);
    process.exit(2);
  }
}
