// A worker process (`tsx workers/main.ts`) started by a test, in its own process group, with its
// JSON log lines collected. `ready` resolves with the worker's name (the one BullMQ records on
// each job as processedBy) once it logged "workers started"; `stop` ends the group and waits for it
// to exit, so no worker outlives the file that started it.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export type WorkerProcess = {
  child: ChildProcess;
  lines: string[];
  ready: Promise<string>;
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
};

export function startWorkerProcess(env: Record<string, string> = {}): WorkerProcess {
  const child = spawn("npx", ["tsx", "workers/main.ts"], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: string[] = [];
  const ready = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on("line", (line) => {
        lines.push(line);
        if (line.includes('"workers started"')) resolve((JSON.parse(line) as { worker: string }).worker);
        if (line.startsWith("{")) return;
        process.stderr.write(`[worker ${child.pid}] ${line}\n`);
      });
    }
    child.once("exit", (code, signal) =>
      reject(new Error(`worker process exited before it was ready (${code ?? signal})\n${lines.join("\n")}`)),
    );
  });
  ready.catch(() => {});
  // Gone when no process of its group is left (npx may exit before the node process under it).
  const groupAlive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal); // the group: npx and the node process under it
    } catch {}
  };
  return {
    child,
    lines,
    ready,
    kill,
    async stop() {
      kill("SIGTERM");
      const hard = Date.now() + 15_000;
      // (A zombie left to an init that does not reap still answers signal 0: give up after 20 s.)
      while (groupAlive() && Date.now() < hard + 5000) {
        if (Date.now() > hard) kill("SIGKILL");
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
