// The demo store's camera: registered once, its secret kept in .data/demo-camera.json (mode 600)
// so the simulator can sign frames across restarts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";

export type DemoCamera = { cameraId: string; secret: string };

export function ensureDemoCamera(dataDir: string, env: NodeJS.ProcessEnv): DemoCamera {
  const file = path.resolve(dataDir, "demo-camera.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as DemoCamera;
    const list = execFileSync("npx", ["tsx", "scripts/cameras.ts", "list", "--store", "demo"], {
      env,
      encoding: "utf8",
    });
    if (list.includes(saved.cameraId)) return saved;
  }
  const out = execFileSync(
    "npx",
    ["tsx", "scripts/cameras.ts", "add", "--store", "demo", "--name", "Demo entrance", "--json"],
    { env, encoding: "utf8" },
  );
  const { cameraId, secret } = JSON.parse(out.trim().split("\n").at(-1)!) as DemoCamera;
  writeFileSync(file, JSON.stringify({ cameraId, secret }), { mode: 0o600 });
  return { cameraId, secret };
}
