// npm start — the whole system on one machine:
//   PostgreSQL + Redis (embedded under .data/ unless DATABASE_URL / REDIS_URL are set),
//   migrations, demo seed, model files, Next.js app (built, served by scripts/app-server.ts), workers, and a simulated demo camera
//   fed from the face photos folder. Ctrl-C (or SIGTERM) stops everything this script started.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { ensureServices, MissingBinary } from "./lib/services.ts";
import { migrate } from "./lib/migrate.ts";
import { loadOrCreateSecrets } from "./lib/secrets.ts";
import { appRoleName, ensureAppRole } from "./lib/db-roles.ts";
import { run } from "./lib/run.ts";
import { ensureDemoCamera } from "./lib/demo-camera.ts";
import { clearRunning, writeRunning } from "./lib/running.ts";
import { launcherEnv } from "./lib/launcher-env.ts";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.resolve(root, process.env.DATA_DIR ?? ".data");
const launch = launcherEnv();
const port = launch.PORT;
const children: ChildProcess[] = [];
let stopServices = () => {};
let stopping = false;

function step(msg: string) {
  console.log(`\n▶ ${msg}`);
}

function spawnChild(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const prefix = (line: string) => `[${name}] ${line}`;
  child.stdout?.on("data", (d: Buffer) =>
    d
      .toString()
      .split("\n")
      .filter(Boolean)
      .forEach((l) => console.log(prefix(l))),
  );
  child.stderr?.on("data", (d: Buffer) =>
    d
      .toString()
      .split("\n")
      .filter(Boolean)
      .forEach((l) => console.error(prefix(l))),
  );
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise(() => {}) as never;
  stopping = true;
  console.log("\nstopping…");
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            try {
              process.kill(-c.pid!, "SIGKILL");
            } catch {}
            resolve();
          }, 10_000);
          c.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          try {
            process.kill(-c.pid!, "SIGTERM");
          } catch {
            resolve();
          }
        }),
    ),
  );
  clearRunning(dataDir);
  stopServices();
  console.log("stopped.");
  process.exit(code);
}

async function main() {
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  step("services");
  const services = await ensureServices(dataDir);
  stopServices = services.stop;
  console.log(
    services.embedded.length ? `started ${services.embedded.join("; ")}` : "using DATABASE_URL and REDIS_URL",
  );

  const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...loadOrCreateSecrets(dataDir),
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    APP_URL: appUrl,
    DATA_DIR: dataDir,
    NODE_ENV: "production",
    // The demo: links printed here, demo store and staff seeded (never in a real deployment).
    VEIL_DEMO: "1",
  };
  // For the commands of a second terminal (scripts/lib/local-env.ts): where the servers and the app are.
  writeRunning(dataDir, {
    pid: process.pid,
    databaseUrl: services.databaseUrl,
    redisUrl: services.redisUrl,
    appUrl,
    startedAt: new Date().toISOString(),
  });

  step("database migrations");
  const m = await migrate(services.databaseUrl);
  console.log(`${m.applied.length} applied, ${m.skipped.length} already there`);

  step("database roles");
  // Migrations and the seed run as the owner; the app and workers as a role that may only read and
  // append to the ledger and the audit log (scripts/lib/db-roles.ts). Its password is derived from
  // AUTH_SECRET, so a restart finds the same one.
  const appDatabaseUrl = await ensureAppRole(
    services.databaseUrl,
    createHmac("sha256", env.AUTH_SECRET!).update("veil database app role").digest("base64url"),
  );
  console.log(`app and workers connect as ${appRoleName(services.databaseUrl)}`);

  step("demo data");
  if ((await run("npx", ["tsx", "prisma/seed.ts"], env)) !== 0) throw new Error("seed failed (see above)");
  const appEnv = { ...env, DATABASE_URL: appDatabaseUrl };

  step("face models");
  if ((await run("npx", ["tsx", "scripts/fetch-models.ts"], env)) !== 0)
    throw new Error("model files could not be fetched or verified");

  step("building the app");
  if ((await run("npx", ["next", "build"], env)) !== 0) throw new Error("next build failed (see above)");

  step("starting app and workers");
  // Not a bare `next start`: scripts/app-server.ts appends the socket's peer to X-Forwarded-For,
  // so a client cannot name its own address to the per-address limits.
  spawnChild("app", "npx", ["tsx", "scripts/app-server.ts", "-p", String(port)], appEnv);
  spawnChild("workers", "npx", ["tsx", "workers/main.ts"], appEnv);

  const faces = path.resolve(
    root,
    launch.DEMO_CAMERA_DIR ?? path.join(process.env.FACES_DIR ?? "../shared/faces", "detection"),
  );
  let cameraNote = `no demo camera: ${faces} not found (set DEMO_CAMERA_DIR to a folder of JPEGs)`;
  if (existsSync(faces)) {
    const cam = ensureDemoCamera(dataDir, env);
    // Give the app a moment to listen before the first frame.
    setTimeout(() => {
      if (!stopping)
        // The secret goes in the environment, not argv: `ps` shows every process's arguments to all users.
        spawnChild(
          "camera",
          "npx",
          [
            "tsx",
            "scripts/camera-sim.ts",
            "--store",
            "demo",
            "--camera",
            cam.cameraId,
            "--fps",
            String(launch.DEMO_CAMERA_FPS),
            "--dir",
            faces,
            "--url",
            `http://127.0.0.1:${port}`,
            "--quiet",
          ],
          { ...env, CAMERA_SECRET: cam.secret },
        );
    }, 5000);
    cameraNote = `demo camera ${cam.cameraId} posting ${faces} at ${launch.DEMO_CAMERA_FPS} fps`;
  }

  console.log(`
Veil is running.
  Store notice (shopper, phone):  ${appUrl}/s/demo
  Staff console:                  ${appUrl}/staff/signin   (credentials printed under "demo data" above)
  Health:                         ${appUrl}/api/health
  Shopper sign-in links:          printed here as "[veil demo mail]" (no SMTP_URL set)
  ${cameraNote}
Ctrl-C stops everything this command started.`);
}

main().catch((e) => {
  console.error(
    e instanceof MissingBinary ? `\n${e.message}` : `\nstart failed: ${e instanceof Error ? e.message : e}`,
  );
  void shutdown(1);
});
