// A newcomer's second terminal: `npm start` runs (on its own embedded servers, in a data folder of
// its own and on free ports, so it disturbs nothing else on the machine), and every `npm run` line
// of README's "A second terminal" block is run exactly as written, with no environment beyond what
// a fresh shell has. Then: the demo camera's secret is in no process's argv, `npm run workers`
// starts on the same servers, and once `npm start` has stopped the commands say how to start it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./lib/free-port.ts";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data", `second-terminal-${randomBytes(3).toString("hex")}`);

/** What a fresh shell in the checkout has: none of the variables the test runner set. */
function freshShellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "LANG", "TERM", "USER", "SHELL", "FACES_DIR", "TMPDIR"];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) env[k] = process.env[k]!;
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

export function readmeSecondTerminal(readme = readFileSync(path.join(root, "README.md"), "utf8")): string[] {
  const at = readme.indexOf("<!-- second-terminal -->");
  if (at < 0) throw new Error("README has no <!-- second-terminal --> block");
  const block = readme.slice(at).split("```sh\n")[1]!.split("```")[0]!;
  return block
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l.startsWith("npm run "));
}

let start: ChildProcess;
let output = "";
let port: number;
let env: NodeJS.ProcessEnv;

function waitForOutput(re: RegExp, deadlineMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${re} from npm start within ${deadlineMs / 1000}s:\n${output.slice(-3000)}`)),
      deadlineMs,
    );
    const check = () => {
      if (re.test(output)) {
        clearTimeout(timer);
        resolve();
      } else if (start.exitCode !== null) {
        clearTimeout(timer);
        reject(new Error(`npm start exited ${start.exitCode}:\n${output.slice(-3000)}`));
      } else setTimeout(check, 200);
    };
    check();
  });
}

function sh(cmd: string, timeout = 120_000) {
  // The README's relative paths are relative to the checkout; its `.data/` is the data folder.
  const line = cmd.replaceAll(".data/", `${dataDir}/`);
  const r = spawnSync("sh", ["-c", line], { cwd: root, env, encoding: "utf8", timeout });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  port = await freePort();
  const pgPort = await freePort();
  const redisPort = await freePort();
  // DATA_DIR and the embedded ports are the only difference from a newcomer's `npm start`: they
  // keep this copy apart from a developer's own `.data` and servers.
  env = freshShellEnv({
    DATA_DIR: dataDir,
    PORT: String(port),
    VEIL_PG_PORT: String(pgPort),
    VEIL_REDIS_PORT: String(redisPort),
  });
  start = spawn("npm", ["start"], {
    cwd: root,
    env: { ...env, DEMO_CAMERA_FPS: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  start.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  start.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  await waitForOutput(/Veil is running\./, 400_000);
}, 420_000);

afterAll(async () => {
  if (start?.pid && start.exitCode === null) {
    const exited = new Promise((r) => start.once("exit", r));
    try {
      process.kill(-start.pid, "SIGTERM");
    } catch {}
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("a newcomer's second terminal beside npm start", () => {
  it("runs every README command of the block as written", () => {
    const commands = readmeSecondTerminal();
    expect(commands.length).toBeGreaterThan(5);
    let cameraId = "";
    for (const raw of commands) {
      const cmd = raw.replaceAll("<id>", cameraId);
      const r = sh(cmd);
      expect(r.code, `${cmd}\n${r.out}`).toBe(0);
      if (raw.includes("cameras -- add")) {
        cameraId = /camera (\S+)/.exec(r.out)?.[1] ?? "";
        expect(cameraId, r.out).not.toBe("");
        expect(existsSync(path.join(dataDir, "entrance.secret"))).toBe(true);
      }
      if (raw.includes("cameras -- list")) expect(r.out).toContain(cameraId);
      // Every frame reached the app on the port `npm start` was given (PORT) and its signature was
      // good: accepted, or (on a loaded machine, whose workers drain slowly at first) refused by
      // back-pressure with 503, never a network error or a 401.
      if (raw.startsWith("npm run camera -- ")) expect(r.out, r.out).toMatch(/^sent 10: 202 x\d+(, 503 x\d+)?$/m);
      if (raw.includes("audit:verify")) expect(r.out).toMatch(/audit chain intact/);
    }
  }, 300_000);

  it("keeps the demo camera's secret out of every process's command line", () => {
    const { secret } = JSON.parse(readFileSync(path.join(dataDir, "demo-camera.json"), "utf8")) as { secret: string };
    expect(output).toMatch(/demo camera \S+ posting/);
    const ps = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout;
    expect(ps).toContain("camera-sim.ts");
    expect(ps).not.toContain(secret);
  });

  it("starts another worker process with `npm run workers`", async () => {
    const w = spawn("npm", ["run", "workers"], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    w.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    w.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const started = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 90_000);
      const check = () =>
        /workers started/.test(out)
          ? (clearTimeout(timer), resolve(true))
          : w.exitCode !== null
            ? (clearTimeout(timer), resolve(false))
            : setTimeout(check, 200);
      check();
    });
    const exited = new Promise((r) => w.once("exit", r));
    try {
      process.kill(-w.pid!, "SIGTERM");
    } catch {}
    await exited;
    expect(started, out).toBe(true);
  }, 120_000);

  it("says how to start the embedded servers once npm start has stopped", async () => {
    const exited = new Promise((r) => start.once("exit", r));
    process.kill(-start.pid!, "SIGTERM");
    await exited;
    for (const cmd of ["npm run cameras -- list", "npm run db:migrate", "npm run audit:verify"]) {
      const r = sh(cmd);
      expect(r.code, r.out).toBe(2);
      expect(r.out).toMatch(/embedded PostgreSQL .* is not running/);
      expect(r.out).toContain("npm start");
    }
  }, 60_000);
});
