// What `npm start` is running, for the commands a newcomer types in a second terminal: it writes
// <data>/running.json (mode 600) once its servers are up and removes it when it stops, so the
// other scripts can find the embedded servers and the app's URL without any configuration.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export type Running = { pid: number; databaseUrl: string; redisUrl: string; appUrl: string; startedAt: string };

export const runningFile = (dataDir: string) => path.resolve(dataDir, "running.json");

export function writeRunning(dataDir: string, r: Running): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(runningFile(dataDir), JSON.stringify(r, null, 2), { mode: 0o600 });
}

/** Removes the file only if it is still ours (a second `npm start` may have replaced it). */
export function clearRunning(dataDir: string, pid = process.pid): void {
  const r = readRunning(dataDir);
  if (r && r.pid === pid) rmSync(runningFile(dataDir), { force: true });
}

export function readRunning(dataDir: string): Running | null {
  const file = runningFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Running;
  } catch {
    return null;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
