// A camera's secret for the simulator and the RTSP bridge: from a file (mode 600, as
// `cameras add --secret-file` writes it) or CAMERA_SECRET, never from argv (visible in `ps`).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export function readCameraSecret(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (file) {
    if (!existsSync(file)) throw new Error(`secret file not found: ${file}`);
    const secret = readFileSync(file, "utf8").trim();
    if (!secret) throw new Error(`secret file is empty: ${file}`);
    return secret;
  }
  if (env.CAMERA_SECRET) return env.CAMERA_SECRET;
  throw new Error(
    "no camera secret: pass --secret-file <file> (written by `npm run cameras -- add … --secret-file <file>`) or set CAMERA_SECRET",
  );
}

export function writeCameraSecret(file: string, secret: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its mode on write
}
